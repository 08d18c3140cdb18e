import type { ErrorBody } from '@/lib/protocol';

/**
 * Step-up in the browser (RFC 9470): when a call is refused with 401 `insufficient_user_authentication` (its sign-in
 * is older than the server allows for a sensitive change), authFetch asks the registered prompt — the layout's
 * re-authentication dialog — to have the person prove it is them again, then retries the call once. One prompt at a
 * time: calls refused together wait for the same dialog.
 */

/** Shows the re-authentication dialog (`maxAge`: the seconds a sign-in may be old); resolves true once a new access token is in memory, false when cancelled. */
export type StepUpPrompt = (maxAge: number) => Promise<boolean>;

let prompt: StepUpPrompt | null = null;
let open: Promise<boolean> | null = null;

/** Registers the prompt (the layout's dialog mounts it); returns the unregister. */
export function setStepUpPrompt(next: StepUpPrompt): () => void {
  prompt = next;
  return () => {
    if (prompt === next) prompt = null;
  };
}

/** Whether `response` asks for a recent sign-in and the person gave one: then the call is worth one retry. */
export async function steppedUp(response: Response): Promise<boolean> {
  if (response.status !== 401 || !prompt) return false;
  // Read from a copy (the caller may still read the answer); not transport.ts' errorOf, so that the layout's dialog,
  // which registers the prompt on every page, brings none of the auth client along.
  const { error, maxAge } = (await response
    .clone()
    .json()
    .catch(() => ({}))) as Partial<ErrorBody>;
  if (error !== 'insufficient_user_authentication' || typeof maxAge !== 'number') return false;
  open ??= prompt(maxAge).finally(() => (open = null));
  return open;
}
