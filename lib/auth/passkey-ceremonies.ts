import 'server-only';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { getDb } from '@/lib/db';
import type { PasskeyView, PublicUser } from '@/lib/protocol';
import { assertUsernameFree, findUser, insertUser } from './accounts';
import { AuthError } from './errors';
import { acceptAssertion, credentialsOf, insertPasskey, listPasskeys, passkeyAmr, removePasskey } from './passkeys';
import { assertReauthenticated, type Reauth } from './reauth';
import { assertRecentSignIn } from './step-up';
import { recordSecurityEvent } from './security-events';
import type { Amr } from './session-tokens';
import { ACCOUNT_LIMIT, IP_LIMIT, attemptSucceeded, pruneThrottle, takeAttempt } from './throttle';
import type { AccessTokenClaims } from './tokens';
import { describeUserAgent } from './user-agent';
import {
  authenticationOptions,
  newChallenge,
  registrationOptions,
  takeAssertionChallenge,
  verifyRegistration,
  type RelyingParty,
} from './webauthn';

/**
 * The passkey ceremonies, each a pair of calls (options, then the browser's answer): signing in, creating an account
 * with a passkey only, adding a passkey (after re-authentication or a recent sign-in), deleting one (likewise). The
 * routes call these.
 */

/** What a passkey sign-in yields: the user, and the amr its session and tokens carry. */
export interface PasskeySignIn {
  user: PublicUser;
  amr: Amr[];
}

/** The options of a usernameless sign-in: any discoverable passkey of this relying party. */
export async function signInOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return authenticationOptions(rp, await newChallenge({ ceremony: 'sign-in' }));
}

/**
 * Sign-in with a passkey, throttled as password sign-in is: per credential (as per account) and per client address
 * (the same key as a password's), each attempt counted before the assertion is checked. An unknown credential, an
 * assertion that does not verify and a counter that went backwards all answer 401 `invalid_credentials`; a stale,
 * foreign or used challenge 400 `invalid_challenge`.
 */
export async function signInWithPasskey(
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
  clientIp: string | null,
): Promise<PasskeySignIn> {
  const credentialKey = `login:passkey:${response.id}`;
  const ipKey = clientIp === null ? null : `login:ip:${clientIp}`;
  await takeAttempt(credentialKey, ACCOUNT_LIMIT);
  if (ipKey) await takeAttempt(ipKey, IP_LIMIT);
  const expected = await takeAssertionChallenge(response, { ceremony: 'sign-in' });
  const signedIn = await acceptAssertion(rp, response, expected);
  await attemptSucceeded(credentialKey, ACCOUNT_LIMIT, { clear: true });
  if (ipKey) await attemptSucceeded(ipKey, IP_LIMIT, { clear: false });
  await pruneThrottle();
  return signedIn;
}

// A new account's id travels in its challenge (32 hex digits are base64url too), so nothing is stored before the
// browser answers.
const toHex = (id: string) => id.replaceAll('-', '');
const fromHex = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The options of creating an account with a passkey only; 409 `username_taken` at once when the name is in use. */
export async function accountOptions(
  username: string,
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await assertUsernameFree(username);
  const id = crypto.randomUUID();
  const challenge = await newChallenge({ ceremony: 'create', scope: username }, toHex(id));
  return registrationOptions(rp, { id, username }, [], challenge);
}

/**
 * Creates an account whose only way in is the passkey just made (no password): the user and the credential in one
 * transaction. 409 `username_taken` when the name was taken meanwhile, 400 `invalid_passkey` for a response that does
 * not verify or a credential registered already.
 */
export async function createPasskeyAccount(
  username: string,
  response: RegistrationResponseJSON,
  rp: RelyingParty,
  userAgent: string | null,
): Promise<PasskeySignIn> {
  const { credential, payload } = await verifyRegistration(rp, response, { ceremony: 'create', scope: username });
  await assertUsernameFree(username);
  const db = await getDb();
  const user = await db.transaction().execute(async (trx) => {
    const created = await insertUser(trx, { id: fromHex(payload), username, passwordHash: null });
    if (!(await insertPasskey(trx, created.id, credential, describeUserAgent(userAgent)))) throw alreadyRegistered();
    return created;
  });
  return { user, amr: passkeyAmr(credential.deviceType) };
}

const alreadyRegistered = () => new AuthError('invalid_passkey', 'This passkey is registered already.');

/** What the Sessions page's dialog starts with: a registration's options and, when the user has passkeys, a re-authentication's. */
export interface AddingOptions {
  registration: PublicKeyCredentialCreationOptionsJSON;
  reauth: PublicKeyCredentialRequestOptionsJSON | null;
}

/**
 * The options of adding a passkey to the signed-in user (its challenge bound to this session), with those of a
 * re-authentication by one of their passkeys. Both challenges last five minutes.
 */
export async function addingOptions(claims: AccessTokenClaims, rp: RelyingParty): Promise<AddingOptions> {
  const user = await findUser(claims.sub);
  if (!user) throw new AuthError('invalid_token', 'The access token belongs to no user.');
  const existing = await credentialsOf(claims.sub);
  return {
    registration: await registrationOptions(
      rp,
      user,
      existing,
      await newChallenge({ ceremony: 'add', scope: claims.sid }),
    ),
    reauth: existing.length
      ? await authenticationOptions(rp, await newChallenge({ ceremony: 'reauth', scope: claims.sid }), existing)
      : null,
  };
}

/**
 * A passkey change's proof that it is the person: a re-authentication it carries, else a recent sign-in (step-up:
 * 401 `insufficient_user_authentication` past STEP_UP_MAX_AGE).
 */
async function assertProvedRecently(claims: AccessTokenClaims, reauth: Reauth | undefined, rp: RelyingParty) {
  if (reauth) await assertReauthenticated(claims, reauth, rp);
  else assertRecentSignIn(claims);
}

/** Adds a passkey after re-authentication or a recent sign-in; named `name`, else after the browser ("Chrome on Linux"). */
export async function addPasskey(
  claims: AccessTokenClaims,
  request: { credential: RegistrationResponseJSON; name?: string; reauth?: Reauth },
  rp: RelyingParty,
  userAgent: string | null,
): Promise<PasskeyView> {
  await assertProvedRecently(claims, request.reauth, rp);
  const { credential } = await verifyRegistration(rp, request.credential, { ceremony: 'add', scope: claims.sid });
  const db = await getDb();
  if (!(await insertPasskey(db, claims.sub, credential, request.name ?? describeUserAgent(userAgent))))
    throw alreadyRegistered();
  await recordSecurityEvent(
    'passkey_added',
    { userId: claims.sub, sessionId: claims.sid },
    { credentialId: credential.id },
  );
  const added = (await listPasskeys(claims.sub)).find((passkey) => passkey.id === credential.id);
  if (!added) throw new AuthError('not_found', 'No such passkey.');
  return added;
}

/**
 * Deletes one of the user's passkeys after re-authentication or a recent sign-in; 404 when not theirs, 409 for the
 * last one of an account without a password.
 */
export async function deletePasskey(
  claims: AccessTokenClaims,
  id: string,
  reauth: Reauth | undefined,
  rp: RelyingParty,
): Promise<void> {
  await assertProvedRecently(claims, reauth, rp);
  await removePasskey(claims.sub, id);
  await recordSecurityEvent('passkey_deleted', { userId: claims.sub, sessionId: claims.sid }, { credentialId: id });
}
