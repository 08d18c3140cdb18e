import { failureText, type Messages } from '@/lib/i18n/messages';
import { TransientAuthError } from './refresh';
import { SignInError } from './sign-in';

/**
 * What to tell the reader about a request that failed, in the page's language: a refused sign-in or a refresh that
 * could not be made for now by their code, anything else thrown (fetch's TypeError: no answer) as a network failure.
 */
export function errorText(t: Messages, error: unknown): string {
  if (error instanceof SignInError) return failureText(t, error);
  if (error instanceof TransientAuthError && error.status !== 0) return failureText(t, error);
  return t.errors.network;
}

/** The words for a failed answer (its `error` code and `field`, read from a copy of the body), never its `message`. */
export async function responseErrorText(t: Messages, response: Response): Promise<string> {
  const body = (await response.clone().json().catch(() => ({}))) as { error?: string; field?: string };
  return failureText(t, { code: body.error, status: response.status, field: body.field });
}
