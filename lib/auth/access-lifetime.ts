import 'server-only';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { findUser } from './accounts';
import { AuthError } from './errors';
import { issueAccessToken, type IssuedAccessToken } from './session-tokens';
import { assertLive } from './sessions';
import type { AccessTokenClaims } from './tokens';

/**
 * Per-session access-token lifetime: a session can be given access tokens shorter than ACCESS_TOKEN_TTL (a session
 * that should be re-checked more often; the live demo lets a visitor watch expiry and refresh in seconds). The choice is
 * stored with the session (sessions.access_ttl), so every later refresh, on any instance, issues tokens that long;
 * sliding renewals keep the lifetime of the token they renew. Never longer than ACCESS_TOKEN_TTL.
 */

/** The shortest lifetime a session's access tokens may be given, in seconds. */
export const MIN_ACCESS_TTL = 5;

/**
 * Sets the access-token lifetime of the caller's live session to `seconds`, clamped to [MIN_ACCESS_TTL,
 * ACCESS_TOKEN_TTL], and returns a new access token of that lifetime. Throws `invalid_token` when the session is over.
 */
export async function setAccessLifetime(
  claims: AccessTokenClaims,
  seconds: number,
  now = new Date(),
): Promise<IssuedAccessToken> {
  const ttl = Math.max(MIN_ACCESS_TTL, Math.min(Math.floor(seconds), getConfig().ACCESS_TOKEN_TTL));
  const session = await assertLive(claims, now);
  const user = await findUser(claims.sub);
  if (!user) throw new AuthError('invalid_token', 'The access token belongs to no user.');
  const db = await getDb();
  await db.updateTable('sessions').set({ access_ttl: ttl }).where('id', '=', session.id).execute();
  return issueAccessToken(user, { ...session, access_ttl: ttl }, now);
}
