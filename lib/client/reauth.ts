import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { API, type TokenBody } from '@/lib/protocol';
import { loadKey } from './dpop';
import { passkeyAssertion, PasskeyError, type ReauthMethod } from './passkeys';
import { endReason } from './refresh';
import { adoptTokens, forgetSession, latestTokens } from './session';
import { errorOf, JSON_POST, sendWithProof } from './transport';

/**
 * Re-authentication in the browser: the session's refresh cookie and a proof by this browser's key, with the person's
 * password or an assertion by one of their passkeys, for a new access token with a fresh auth_time — the same session,
 * nothing rotated. The step-up dialog (app/step-up-prompt.tsx) calls these.
 */

/** What the dialog may offer: the password (when the account has one), a passkey (its assertion's options). */
export interface ReauthOptions {
  password: boolean;
  passkey: PublicKeyCredentialRequestOptionsJSON | null;
}

async function post(path: string, body: unknown): Promise<Response> {
  const key = latestTokens()?.tokenType === 'DPoP' ? await loadKey() : null;
  const response = await sendWithProof(path, { ...JSON_POST, body: JSON.stringify(body) }, { kind: 'reauth' }, key);
  if (response.ok) return response;
  const error = await errorOf(response);
  // The session is over (revoked elsewhere, or not this browser's): end it here, as a refresh would.
  if (response.status === 401 && error.error === 'invalid_grant') forgetSession(endReason(error));
  throw new PasskeyError(error.error ?? 'server_error', response.status, error.field);
}

/** The options of re-authenticating this session. Throws PasskeyError when the server refuses. */
export async function reauthOptions(): Promise<ReauthOptions> {
  return (await (await post(API.reauthOptions, {})).json()) as ReauthOptions;
}

/**
 * Re-authenticates with the password or a passkey (its prompt shown here) and adopts the new access token, in every
 * tab. Resolves to false when the prompt was cancelled; throws PasskeyError when the server refuses.
 */
export async function reauthenticate(method: ReauthMethod, options: ReauthOptions): Promise<boolean> {
  let proof: { password: string } | { credential: unknown };
  if ('password' in method) proof = method;
  else {
    if (!options.passkey) throw new PasskeyError('invalid_credentials', 401);
    const credential = await passkeyAssertion(options.passkey);
    if (!credential) return false;
    proof = { credential };
  }
  adoptTokens((await (await post(API.reauth, proof)).json()) as TokenBody);
  return true;
}
