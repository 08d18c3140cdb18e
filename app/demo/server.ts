import 'server-only';
import { generateKeyPair, generateProof } from 'dpop';
import type { NextRequest } from 'next/server';
import { dpopRequired, verifyProof } from '@/lib/auth/dpop';
import { AuthError } from '@/lib/auth/errors';
import type { Presented } from '@/lib/auth/binding';
import { currentNonce } from '@/lib/auth/dpop-nonce';
import { refreshSession } from '@/lib/auth/rotation';
import { findUser } from '@/lib/auth/accounts';
import { issueAccessToken, type IssuedAccessToken } from '@/lib/auth/session-tokens';
import { loadSession } from '@/lib/auth/sessions';
import {
  signRefreshToken,
  verifyRefreshToken,
  type AccessTokenClaims,
  type RefreshTokenClaims,
} from '@/lib/auth/tokens';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { HttpError } from '@/lib/http/errors';
import { requireAccess } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { boundCookieOf, withRefreshSession } from '@/lib/http/session-response';

/**
 * The live demo's controls, on the server. Each acts on the caller's own session only, and all are off (404) unless
 * DEMO_CONTROLS is on. They are built on the core and reach it only through its exports: a chosen token lifetime is
 * the core's per-session access-token lifetime (lib/auth/access-lifetime.ts), the replay and the foreign refresh go
 * through the core's own refresh logic (lib/auth/rotation.ts), and an aged sign-in is the session's stored auth_time,
 * which the core's step-up rule reads from the tokens issued for it (lib/auth/step-up.ts).
 */

/** Throws 404 unless DEMO_CONTROLS is on. The demo routes call it before anything else, so that a server without the
 * demo answers 404 whatever the request carries. */
export function assertDemoEnabled(): void {
  if (!getConfig().DEMO_CONTROLS) throw new AuthError('not_found', 'Demo controls are turned off.');
}

/** Why a replay was not made: nothing rotated yet, or the predecessor is still inside its grace window. */
export type ReplayRefusal = { error: 'no_previous_token' } | { error: 'grace_window'; retryAfter: number };

/**
 * Replays the caller's previous, already-rotated refresh token through the real refresh logic — what a thief holding a
 * stolen old token would do. The token is re-signed with the predecessor's jti (the server judges a refresh token by
 * its jti) and verified like any presented token. Outside the grace window that is reuse: the session is revoked and
 * this throws invalid_grant `reused`. Before any rotation, or inside the window, it makes no request and says why.
 */
export async function replayPreviousRefreshToken(
  claims: RefreshTokenClaims,
  presented: Presented,
): Promise<ReplayRefusal> {
  assertDemoEnabled();
  const session = await loadSession(claims.sid);
  if (!session || session.revoked_at !== null || session.current_jti !== claims.jti) {
    throw new AuthError('invalid_grant', 'The session is no longer active.', { reason: 'revoked' });
  }
  if (!session.previous_jti || session.rotated_at === null) return { error: 'no_previous_token' };
  const graceEndsAt = session.rotated_at + getConfig().REFRESH_GRACE_SECONDS * 1000;
  if (Date.now() <= graceEndsAt) {
    return { error: 'grace_window', retryAfter: Math.ceil((graceEndsAt - Date.now()) / 1000) + 1 };
  }
  const previous = await signRefreshToken({ ...claims, jti: session.previous_jti });
  await refreshSession(await verifyRefreshToken(previous), presented);
  throw new AuthError('invalid_grant', 'The replayed token was accepted, which should never happen.', {
    reason: 'invalid',
  });
}

/**
 * Throws 403 unless the refresh cookie belongs to the session of the access token that came with it: the demo's cookie
 * controls act only for whoever also holds the session's key (a copied cookie alone cannot drive them).
 */
export function assertSameSession(access: AccessTokenClaims, refresh: RefreshTokenClaims): void {
  if (access.sid !== refresh.sid || access.sub !== refresh.sub) {
    throw new HttpError('forbidden', 'The refresh cookie belongs to another session than the access token.');
  }
}

/**
 * The preamble of the demo's cookie controls: 404 unless the demo is on, same-origin, the session's access token (with
 * its proof), no body, and the refresh cookie of that same session; then `run` on the cookie's claims and on what the
 * request presents of the session's binding (its key, proved with the access token; its bound cookie). An
 * invalid_grant clears the cookie, as at the refresh endpoint.
 */
export async function withOwnRefreshSession(
  request: NextRequest,
  run: (claims: RefreshTokenClaims, presented: Presented) => Promise<Response>,
): Promise<Response> {
  assertDemoEnabled();
  assertSameOrigin(request);
  const access = await requireAccess(request);
  await readEmptyJson(request);
  return withRefreshSession(request, async (claims) => {
    assertSameSession(access, claims);
    return run(claims, { proofJkt: access.cnf?.jkt ?? null, boundCookie: boundCookieOf(request) });
  });
}

/**
 * What "another device" was told when it presented the caller's refresh cookie: the refresh checks' refusal and the
 * thumbprint of the key its proof was signed with; or why the demo did not try (the session is not bound to a key, so
 * its cookie would work anywhere, and a successful refresh would rotate the caller's cookie away).
 */
export type ForeignRefresh = { error: 'not_key_bound' } | { refusal: AuthError; jkt: string };

/**
 * Presents the caller's refresh cookie from another device — what someone who copied the cookie but not the key would
 * do: a proof by a fresh key made here, for POST `refreshUrl`, through the refresh endpoint's own checks (verifyProof,
 * then refreshSession with that proof's thumbprint). The session's key check refuses it (invalid_grant `wrong_key`),
 * records the attempt and leaves the session running; any other refusal is thrown.
 */
export async function refreshFromAnotherDevice(
  claims: RefreshTokenClaims,
  refreshUrl: string,
): Promise<ForeignRefresh> {
  assertDemoEnabled();
  const session = await loadSession(claims.sid);
  if (!dpopRequired() || (session && session.dpop_jkt === null)) return { error: 'not_key_bound' };
  const nonce = getConfig().DPOP_NONCE ? await currentNonce() : undefined;
  const proof = await generateProof(await generateKeyPair('ES256'), refreshUrl, 'POST', nonce);
  const { jkt } = await verifyProof(proof, { method: 'POST', url: refreshUrl });
  try {
    await refreshSession(claims, { proofJkt: jkt, boundCookie: null });
  } catch (error) {
    if (error instanceof AuthError && error.detail.reason === 'wrong_key') return { refusal: error, jkt };
    throw error;
  }
  throw new AuthError('invalid_grant', "The other device's refresh was accepted, which should never happen.", {
    reason: 'invalid',
  });
}

/**
 * Moves the caller's sign-in back to just past STEP_UP_MAX_AGE — as if the person had signed in long ago — and issues
 * an access token that says so, so that the next sensitive change asks for re-authentication. The session's refresh
 * token, key and everything else stay as they are.
 */
export async function ageSignIn(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
  assertDemoEnabled();
  const authTime = Math.floor(Date.now() / 1000) - getConfig().STEP_UP_MAX_AGE - 1;
  const db = await getDb();
  await db
    .updateTable('sessions')
    .set({ auth_time: authTime })
    .where('id', '=', claims.sid)
    .where('revoked_at', 'is', null)
    .execute();
  const [session, user] = await Promise.all([loadSession(claims.sid), findUser(claims.sub)]);
  if (!session || session.revoked_at !== null || !user)
    throw new AuthError('invalid_token', 'The session behind this token has ended.');
  return issueAccessToken(user, session);
}
