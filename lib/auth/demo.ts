import 'server-only';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { findUser } from './accounts';
import { AuthError } from './errors';
import { accessTokenFor, loadSession, refreshSession, type IssuedTokens } from './sessions';
import { signRefreshToken, verifyRefreshToken, type AccessTokenClaims } from './tokens';

/**
 * The live demo's controls. Each acts on the caller's own session only, and both are off (404) with
 * DEMO_CONTROLS=false.
 */

/** The shortest access-token lifetime the demo may choose, in seconds. */
export const DEMO_MIN_ACCESS_TTL = 5;

function assertEnabled(): void {
  if (!getConfig().demoControls) throw new AuthError('not_found', 'Demo controls are turned off.');
}

/**
 * Sets the access-token lifetime of the caller's session (clamped to [5 s, ACCESS_TOKEN_TTL]; never longer than
 * configured) and issues an access token with it. Later refreshes and renewals keep the choice.
 */
export async function chooseAccessTtl(
  claims: AccessTokenClaims,
  seconds: number,
): Promise<Omit<IssuedTokens, 'refreshToken'>> {
  assertEnabled();
  const ttl = Math.max(DEMO_MIN_ACCESS_TTL, Math.min(Math.floor(seconds), getConfig().accessTtl));
  const db = await getDb();
  const updated = await db
    .updateTable('sessions')
    .set({ access_ttl: ttl })
    .where('id', '=', claims.sid)
    .where('user_id', '=', claims.sub)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const session = await loadSession(claims.sid);
  const user = await findUser(claims.sub);
  if (!updated.numUpdatedRows || !session || !user) throw new AuthError('invalid_token', 'The session is no longer active.');
  const access = await accessTokenFor(session);
  return {
    user,
    sessionId: session.id,
    accessToken: access.token,
    accessClaims: access.claims,
    refreshExpiresAt: session.current_exp,
    sessionExpiresAt: Math.floor(session.absolute_expires_at / 1000),
  };
}

/**
 * Replays the caller's previous, already-rotated refresh token through the real refresh logic — exactly what a thief
 * holding a stolen old token would do. Outside the grace window that is reuse: the session is revoked and this throws
 * invalid_grant `reused`. Inside it, or before any rotation, it refuses with 409 and says why.
 */
export async function replayPreviousRefreshToken(currentToken: string): Promise<never> {
  assertEnabled();
  const claims = await verifyRefreshToken(currentToken);
  const session = await loadSession(claims.sid);
  if (!session || session.revoked_at !== null || session.current_jti !== claims.jti) {
    throw new AuthError('invalid_grant', 'The session is no longer active.', { reason: 'revoked' });
  }
  if (!session.previous_jti || session.previous_iat === null || session.previous_exp === null || session.rotated_at === null) {
    throw new AuthError('no_previous_token', 'This session has not rotated its refresh token yet: refresh once first.');
  }
  const graceEndsAt = session.rotated_at + getConfig().refreshGrace * 1000;
  if (Date.now() <= graceEndsAt) {
    throw new AuthError('grace_window', 'The previous refresh token is still inside its grace window.', {
      retryAfter: Math.ceil((graceEndsAt - Date.now()) / 1000) + 1,
    });
  }
  const previous = await signRefreshToken({
    sub: session.user_id,
    sid: session.id,
    jti: session.previous_jti,
    iat: session.previous_iat,
    exp: session.previous_exp,
  });
  await refreshSession(previous);
  throw new AuthError('invalid_grant', 'The replayed token was accepted, which should never happen.', { reason: 'invalid' });
}
