import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { ACCOUNT_API, API, type PasskeysBody, type PasskeyView, type TokenBody } from '@/lib/protocol';
import { authFetch } from './auth-fetch';
import { observedFetch } from './exchanges';
import { SignInError, submitSignIn } from './sign-in';
import { errorOf, JSON_POST } from './transport';

/**
 * Passkeys in the browser: signing in with one (a button, or the username field's autofill), creating an account with
 * one, and the Sessions page's list, add, rename and delete. The WebAuthn code (@simplewebauthn/browser) is imported on
 * first use, so only the pages that use passkeys load it. A prompt the person cancels is not an error: the calls that
 * show one resolve to null.
 */

const webauthn = () => import('@simplewebauthn/browser');

/** The browser's prompt was dismissed, timed out, or replaced by another ceremony (e.g. the button over the autofill). */
const isCancelled = (error: unknown) =>
  error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');

/** Runs a ceremony; null when the person cancelled it. */
async function unlessCancelled<T>(ceremony: () => Promise<T>): Promise<T | null> {
  try {
    return await ceremony();
  } catch (error) {
    if (isCancelled(error)) return null;
    throw error;
  }
}

/**
 * A POST to an options endpoint (no credential): its JSON, or SignInError with the server's code. Reported to the
 * exchange observers (kind 'passkey-options') unless `quiet`: the autofill's options are fetched in the background on
 * every visit to the login page, which is no ceremony the person started.
 */
async function postOptions<T>(path: string, body?: unknown, { quiet = false } = {}): Promise<T> {
  const init = { ...JSON_POST, body: JSON.stringify(body ?? {}) };
  const response = quiet ? await fetch(path, init) : await observedFetch(path, init, { kind: 'passkey-options' });
  if (!response.ok) {
    const error = await errorOf(response);
    throw new SignInError(error.error ?? 'server_error', response.status, error.field);
  }
  return (await response.json()) as T;
}

/** Ends a pending passkey prompt (the autofill's, when the sign-in form goes away). */
export async function cancelPasskeyPrompt(): Promise<void> {
  (await webauthn()).WebAuthnAbortService.cancelCeremony();
}

/** Whether this browser offers passkeys in the username field's autofill (conditional mediation). */
export async function supportsPasskeyAutofill(): Promise<boolean> {
  return (await webauthn()).browserSupportsWebAuthnAutofill();
}

/**
 * Signs in with a passkey, usernameless: the browser's own prompt (`autofill` false) or the username field's
 * suggestions (`autofill` true: waits until the person picks one). The session is bound to a new DPoP key, as a
 * password sign-in's. Resolves to null when the prompt was cancelled; throws SignInError when the server refuses.
 */
export async function signInWithPasskey({ autofill = false }: { autofill?: boolean } = {}): Promise<TokenBody | null> {
  const { startAuthentication } = await webauthn();
  const { options } = await postOptions<{ options: PublicKeyCredentialRequestOptionsJSON }>(
    API.passkeySignInOptions,
    undefined,
    { quiet: autofill },
  );
  const credential = await unlessCancelled(() =>
    startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill }),
  );
  return credential && submitSignIn('passkey', API.passkeySignIn, { credential });
}

/**
 * Creates an account whose only way in is a new passkey (no password) and signs it in. Resolves to null when the
 * prompt was cancelled; throws SignInError (username_taken, invalid_request with its field, …).
 */
export async function createAccountWithPasskey(username: string): Promise<TokenBody | null> {
  const { startRegistration } = await webauthn();
  const { options } = await postOptions<{ options: PublicKeyCredentialCreationOptionsJSON }>(
    API.passkeyRegisterOptions,
    { username },
  );
  const credential = await unlessCancelled(() => startRegistration({ optionsJSON: options }));
  return credential && submitSignIn('passkey', API.passkeyRegister, { username, credential });
}

/** A refused account call: its code and status (the words come from the dictionary). */
export class PasskeyError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(`${code} (HTTP ${status})`);
  }
}

async function account<T>(path: string, init: RequestInit = {}): Promise<T | null> {
  const response = await authFetch(
    path,
    init.body ? { ...init, headers: { 'Content-Type': 'application/json' } } : init,
  );
  if (!response.ok) {
    const error = await errorOf(response);
    throw new PasskeyError(error.error ?? 'server_error', response.status, error.field);
  }
  return response.status === 204 ? null : ((await response.json()) as T);
}

/** The user's passkeys, and whether the account has a password. */
export async function listPasskeys(): Promise<PasskeysBody> {
  return (await account<PasskeysBody>(ACCOUNT_API.passkeys))!;
}

/** How the person proves it is them before a change: their password, or one of their passkeys. */
export type ReauthMethod = { password: string } | { passkey: true };

type Reauth = { password: string } | { passkey: AuthenticationResponseJSON };

interface AddingOptions {
  registration: PublicKeyCredentialCreationOptionsJSON;
  reauth: PublicKeyCredentialRequestOptionsJSON | null;
}

/** The re-authentication a request carries: the password as given, or an assertion by one of the user's passkeys. */
async function reauthWith(
  method: ReauthMethod,
  options: PublicKeyCredentialRequestOptionsJSON | null,
): Promise<Reauth | null> {
  if ('password' in method) return method;
  if (!options) throw new PasskeyError('invalid_credentials', 401);
  const passkey = await passkeyAssertion(options);
  return passkey && { passkey };
}

/** The browser's assertion by one of the user's passkeys for `options`; null when the person cancelled the prompt. */
export async function passkeyAssertion(
  options: PublicKeyCredentialRequestOptionsJSON,
): Promise<AuthenticationResponseJSON | null> {
  const { startAuthentication } = await webauthn();
  return unlessCancelled(() => startAuthentication({ optionsJSON: options }));
}

/**
 * Adds a passkey: the person proves it is them (`method`), then the browser makes the credential. Resolves to the new
 * passkey, or null when a prompt was cancelled; throws PasskeyError when the server refuses.
 */
export async function addPasskey(method: ReauthMethod): Promise<PasskeyView | null> {
  const { startRegistration } = await webauthn();
  const options = (await account<AddingOptions>(ACCOUNT_API.passkeyOptions, { method: 'POST' }))!;
  const reauth = await reauthWith(method, options.reauth);
  if (!reauth) return null;
  const credential = await unlessCancelled(() => startRegistration({ optionsJSON: options.registration }));
  if (!credential) return null;
  const body = JSON.stringify({ credential, reauth });
  return (await account<{ passkey: PasskeyView }>(ACCOUNT_API.passkeys, { method: 'POST', body }))!.passkey;
}

/** Renames one of the user's passkeys. */
export async function renamePasskey(id: string, name: string): Promise<void> {
  await account(`${ACCOUNT_API.passkeys}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify({ name }),
  });
}

/** Deletes a passkey after the person proves it is them; false when a prompt was cancelled. */
export async function deletePasskey(id: string, method: ReauthMethod): Promise<boolean> {
  const options =
    'passkey' in method ? (await account<AddingOptions>(ACCOUNT_API.passkeyOptions, { method: 'POST' }))!.reauth : null;
  const reauth = await reauthWith(method, options);
  if (!reauth) return false;
  await account(`${ACCOUNT_API.passkeys}/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    body: JSON.stringify({ reauth }),
  });
  return true;
}
