import 'server-only';
import { getDb } from '@/lib/db';
import type { SessionView } from '@/lib/protocol';
import { AuthError } from './errors';
import { REFUSED_ATTEMPTS } from './security-events';
import { loadSession, revokeSession, revokeUserSessions } from './sessions';
import type { AccessTokenClaims } from './tokens';
import { describeUserAgent } from './user-agent';

/**
 * The signed-in user's sessions (one per sign-in: a device or browser), for the Sessions page: listed here, ended
 * through sessions.ts. Revoking one stops its refreshes at once, and the access tokens it already holds are refused on
 * this instance from the next request and on every other within REVOCATION_POLL_MS (lib/auth/revocations.ts).
 */

/**
 * The refused attempts to use the user's sessions without their DPoP key or their bound cookie (lib/auth/binding.ts
 * records them), by session.
 */
async function refusedAttempts(userId: string): Promise<Map<string, { count: number; lastAt: number }>> {
  const db = await getDb();
  const rows = await db
    .selectFrom('security_events')
    .select(({ fn }) => ['session_id', fn.countAll<string | number>().as('count'), fn.max('created_at').as('last_at')])
    .where('user_id', '=', userId)
    .where('kind', 'in', REFUSED_ATTEMPTS)
    .groupBy('session_id')
    .execute();
  return new Map(rows.map((row) => [row.session_id ?? '', { count: Number(row.count), lastAt: Number(row.last_at) }]));
}

/** The user's live sessions, most recently used first, the caller's own marked current, with any refused attempts. */
export async function listSessions(claims: AccessTokenClaims): Promise<SessionView[]> {
  const db = await getDb();
  const now = Date.now();
  const refused = await refusedAttempts(claims.sub);
  const rows = await db
    .selectFrom('sessions')
    .select([
      'id',
      'user_agent',
      'created_at',
      'last_used_at',
      'current_exp',
      'absolute_expires_at',
      'dpop_jkt',
      'dbsc_jwk',
      'amr',
    ])
    .where('user_id', '=', claims.sub)
    .where('revoked_at', 'is', null)
    .where('current_exp', '>', Math.floor(now / 1000))
    .where('absolute_expires_at', '>', now)
    .orderBy('last_used_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.user_agent),
    userAgent: row.user_agent,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: Math.min(row.current_exp * 1000, row.absolute_expires_at),
    current: row.id === claims.sid,
    keyBound: row.dpop_jkt !== null,
    deviceBound: row.dbsc_jwk !== null,
    refused: refused.get(row.id) ?? null,
    signedInWith: row.amr.split(' ').includes('pwd') ? 'password' : 'passkey',
  }));
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Revokes one of the user's sessions; 404 when it is not theirs, does not exist, or is not even a session id. */
export async function revokeUserSession(claims: AccessTokenClaims, sessionId: string): Promise<void> {
  if (!SESSION_ID.test(sessionId)) throw new AuthError('not_found', 'No such session.');
  const session = await loadSession(sessionId);
  if (!session || session.user_id !== claims.sub) throw new AuthError('not_found', 'No such session.');
  await revokeSession(sessionId, sessionId === claims.sid ? 'signed_out' : 'revoked');
}

/**
 * Signs out every other session of the user (reason `revoked`), and the caller's own too unless keepCurrent.
 * Returns how many other sessions were still open.
 */
export async function revokeAllSessions(
  claims: AccessTokenClaims,
  { keepCurrent }: { keepCurrent: boolean },
): Promise<number> {
  if (!keepCurrent) await revokeSession(claims.sid, 'signed_out');
  return revokeUserSessions(claims.sub, { except: claims.sid, reason: 'revoked' });
}
