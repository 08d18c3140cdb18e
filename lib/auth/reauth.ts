import 'server-only';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { textField } from '@/lib/fields';
import { findUser, hasPassword } from './accounts';
import { assertBinding, type Presented } from './binding';
import { AuthError } from './errors';
import { acceptAssertion, credentialsOf } from './passkeys';
import { PASSWORD_MAX_LENGTH, verifyPassword } from './passwords';
import { expiredGrantError } from './rotation';
import { issueAccessToken, PASSWORD_AMR, type Amr, type IssuedAccessToken } from './session-tokens';
import { isLive, loadSession } from './sessions';
import { ACCOUNT_LIMIT, IP_LIMIT, attemptSucceeded, takeAttempt } from './throttle';
import type { AccessTokenClaims, RefreshTokenClaims } from './tokens';
import {
  authenticationOptions,
  authenticationResponseSchema,
  newChallenge,
  takeAssertionChallenge,
  type RelyingParty,
} from './webauthn';

/**
 * Re-authentication: the person proves again that it is them, with their password or one of their passkeys, without
 * starting a new session. POST /api/auth/reauth renews the session's `auth_time` (the step-up of lib/auth/step-up.ts);
 * adding or deleting a passkey may carry the proof inline instead. Both are throttled per session (strangers failing
 * to sign in as this user cannot lock them out of this) and, at the endpoint, per address too.
 */

/**
 * What a request proves it with: `{password}`, or an assertion by one of the user's passkeys in the passkey sign-in's
 * shape `{credential}` (`{passkey}`, the inline form of the passkey routes, is the same) — its challenge from a
 * re-authentication's options.
 */
export const reauthSchema = z
  .union(
    [
      z.object({ password: textField('reauth.password', { max: PASSWORD_MAX_LENGTH }) }),
      z.object({ credential: authenticationResponseSchema }),
      z.object({ passkey: authenticationResponseSchema }),
    ],
    { error: 'reauth must be {password} or {credential}' },
  )
  .transform((proof) =>
    'password' in proof ? proof : { passkey: 'credential' in proof ? proof.credential : proof.passkey },
  );

export type Reauth = z.output<typeof reauthSchema>;

/** Who re-authenticates: the user, and the session whose challenges the assertion must answer. */
type Subject = Pick<AccessTokenClaims, 'sub' | 'sid'>;

/**
 * Checks the proof for the session of `subject` and returns the amr it earns. A password on an account that has none
 * fails as a wrong one; a passkey's assertion must answer a re-authentication challenge of this very session and be by
 * one of the user's own passkeys. Throws 401 `invalid_credentials`, 400 `invalid_challenge`, 429 (`clientIp`: counted
 * against the address too).
 */
export async function assertReauthenticated(
  subject: Subject,
  proof: Reauth,
  rp: RelyingParty,
  clientIp: string | null = null,
): Promise<readonly Amr[]> {
  const keys = [{ key: `reauth:${subject.sid}`, limit: ACCOUNT_LIMIT, clear: true }];
  if (clientIp !== null) keys.push({ key: `reauth:ip:${clientIp}`, limit: IP_LIMIT, clear: false });
  for (const { key, limit } of keys) await takeAttempt(key, limit);
  let amr: readonly Amr[];
  if ('password' in proof) {
    const db = await getDb();
    const user = await db.selectFrom('users').select('password_hash').where('id', '=', subject.sub).executeTakeFirst();
    if (!(await verifyPassword(user?.password_hash, proof.password)))
      throw new AuthError('invalid_credentials', 'Wrong password.');
    amr = PASSWORD_AMR;
  } else {
    const expected = await takeAssertionChallenge(proof.passkey, { ceremony: 'reauth', scope: subject.sid });
    amr = (await acceptAssertion(rp, proof.passkey, expected, { userId: subject.sub })).amr;
  }
  for (const { key, limit, clear } of keys) await attemptSucceeded(key, limit, { clear });
  return amr;
}

/** What the re-authentication dialog offers: the password (when the account has one), and a passkey's options (when it has any). */
export interface ReauthOptions {
  password: boolean;
  passkey: PublicKeyCredentialRequestOptionsJSON | null;
}

/** The options of re-authenticating a session: an assertion challenge bound to it, for the user's passkeys. */
export async function reauthOptions(subject: Subject, rp: RelyingParty): Promise<ReauthOptions> {
  const existing = await credentialsOf(subject.sub);
  return {
    password: await hasPassword(subject.sub),
    passkey: existing.length
      ? await authenticationOptions(rp, await newChallenge({ ceremony: 'reauth', scope: subject.sid }), existing)
      : null,
  };
}

/** A session's refresh cookie with what the request brings to use it (its proof's key, its bound cookie). */
export interface ReauthRequest extends Presented {
  cookie: RefreshTokenClaims;
  /** The claims of the access token the request carried, if any: it must be the same session's. */
  access: AccessTokenClaims | null;
}

/**
 * The session of a refresh cookie, usable by this request (lib/auth/binding.ts) — for the re-authentication endpoint
 * and its options. Throws invalid_grant (the session ended, or this browser may not use it) and 401 `invalid_token`
 * for an access token of another session.
 */
export async function reauthSession(request: ReauthRequest, now = new Date()) {
  const { cookie, access } = request;
  if (access && (access.sid !== cookie.sid || access.sub !== cookie.sub))
    throw new AuthError('invalid_token', 'The access token belongs to another session than the refresh cookie.');
  const session = await loadSession(cookie.sid);
  if (!session || session.user_id !== cookie.sub)
    throw new AuthError('invalid_grant', 'The refresh token has no session.', { reason: 'invalid' });
  if (!isLive(session, now)) throw await expiredGrantError(session.id, now);
  await assertBinding(session, request, { now });
  return session;
}

/**
 * Re-authenticates a session: checks the proof, then gives the session a fresh `auth_time` (and the amr of this proof)
 * and issues it a new access token — the same session, key and refresh token; nothing rotates, so no other tab's
 * refresh can race it. Every later refresh carries the new `auth_time`.
 */
export async function reauthenticate(
  request: ReauthRequest,
  proof: Reauth,
  rp: RelyingParty,
  clientIp: string | null,
  now = new Date(),
): Promise<IssuedAccessToken> {
  const session = await reauthSession(request, now);
  const amr = await assertReauthenticated({ sub: session.user_id, sid: session.id }, proof, rp, clientIp);
  const user = await findUser(session.user_id);
  if (!user) throw new AuthError('invalid_grant', 'The refresh token has no session.', { reason: 'invalid' });
  const renewed = { amr: amr.join(' '), auth_time: Math.floor(now.getTime() / 1000) };
  const db = await getDb();
  const result = await db
    .updateTable('sessions')
    .set(renewed)
    .where('id', '=', session.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows !== BigInt(1)) throw await expiredGrantError(session.id, now);
  return issueAccessToken(user, { ...session, ...renewed }, now);
}
