import { failureText, type Messages } from '@/lib/i18n/messages';

/** The words for a failed answer (its `error` code and `field`, read from a copy of the body), never its `message`. */
export async function responseErrorText(t: Messages, response: Response): Promise<string> {
  const body = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { error?: string; field?: string };
  return failureText(t, { code: body.error, status: response.status, field: body.field });
}
