import 'server-only';
import { getDb } from '@/lib/db';
import { boundCookieFits } from './binding';
import { accessTokenFor } from './session-tokens';
import { isLive, loadSession } from './sessions';
import type { AccessTokenClaims } from './tokens';

/**
 * Sliding renewal: an API call made past half its access token's lifetime gets a fresh access token with the answer,
 * so that a busy page never waits for a refresh. A renewal is granted only while the refresh session is live, never
 * outlives it, and never outlasts what a refresh would allow.
 */

export interface RenewedAccessToken {
  token: string;
  claims: AccessTokenClaims;
}

/**
 * A new access token as long as the one presented (never above ACCESS_TOKEN_TTL) for a still-live session, or null
 * when the session is revoked or over — or bound to a DBSC key and `boundCookie` (the request's) is not valid for it.
 */
export async function renewAccessToken(
  claims: AccessTokenClaims,
  { boundCookie = null, now = new Date() }: { boundCookie?: string | null; now?: Date } = {},
): Promise<RenewedAccessToken | null> {
  const session = await loadSession(claims.sid);
  if (!session || session.user_id !== claims.sub || !isLive(session, now)) return null;
  if (!(await boundCookieFits(session, boundCookie, now))) return null;
  const db = await getDb();
  await db.updateTable('sessions').set({ last_used_at: now.getTime() }).where('id', '=', session.id).execute();
  return accessTokenFor(session, claims.exp - claims.iat, now);
}

/** {@link renewAccessToken} once the presented token is past half its lifetime; null before (or when refused). */
export async function renewalFor(
  claims: AccessTokenClaims,
  { boundCookie = null, now = new Date() }: { boundCookie?: string | null; now?: Date } = {},
): Promise<RenewedAccessToken | null> {
  const seconds = Math.floor(now.getTime() / 1000);
  if (seconds - claims.iat < (claims.exp - claims.iat) / 2) return null;
  return renewAccessToken(claims, { boundCookie, now });
}
