import { API, type ErrorBody, type TokenBody } from '@/lib/protocol';
import { withCredentialsLock } from './cross-tab';
import { dropKey, keepKey, loadKey, newKey } from './dpop';
import { adoptTokens, forgetSession } from './session';
import { JSON_POST, sendWithProof } from './transport';

/**
 * Signing in (or registering) and out. A sign-in makes a new DPoP key and binds the new session to it; sign-out revokes
 * the session on the server and deletes the key.
 */

/** The server refused a sign-in or registration: `code` is its error code (e.g. invalid_credentials), `status` its HTTP status. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    /** For invalid_request: the field it refused. */
    readonly field?: string,
  ) {
    super(code);
  }
}

/**
 * Signs in with a new key, under the credentials lock so that tabs never race to replace it: posts `body` to `path`
 * with a proof by the new key (reported as an exchange of `kind`). The key is stored only once the sign-in succeeds: a
 * failed attempt leaves the current session and its key alone. Throws SignInError when the server refuses, and fetch's
 * TypeError when it cannot be reached. A password's and a passkey's sign-in alike (lib/client/passkeys.ts).
 */
export function submitSignIn(kind: 'login' | 'register' | 'passkey', path: string, body: unknown): Promise<TokenBody> {
  return withCredentialsLock(async () => {
    const pair = await newKey();
    const init = { ...JSON_POST, body: JSON.stringify(body) };
    const response = await sendWithProof(path, init, { kind }, pair);
    const answer = (await response.json().catch(() => ({}))) as Partial<TokenBody & ErrorBody>;
    if (!response.ok) throw new SignInError(answer.error ?? 'server_error', response.status, answer.field);
    await keepKey(pair);
    adoptTokens(answer as TokenBody);
    return answer as TokenBody;
  });
}

/** Signs in with a username and password (see submitSignIn). */
export const login = (username: string, password: string) => submitSignIn('login', API.login, { username, password });
/** Creates an account, which signs it in (see submitSignIn). */
export const register = (username: string, password: string) =>
  submitSignIn('register', API.register, { username, password });

/**
 * Signs out: the server revokes the session and clears the cookie; memory and the key are wiped whatever the network
 * does.
 */
export async function logout(): Promise<void> {
  try {
    await sendWithProof(API.logout, JSON_POST, { kind: 'logout' }, await loadKey());
  } finally {
    forgetSession('signed_out');
    await dropKey();
  }
}
