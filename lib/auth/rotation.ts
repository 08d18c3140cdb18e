import 'server-only';
import { sql } from 'kysely';
import { getConfig, type Config } from '@/lib/config';
import { getDb } from '@/lib/db';
import type { SessionRow } from '@/lib/db/schema';
import { REFRESH_RETRY_BUDGET_MS, type LoginReason, type PublicUser } from '@/lib/protocol';
import { assertBinding, keyAfter, type Presented } from './binding';
import { AuthError } from './errors';
import { recordSecurityEvent } from './security-events';
import { issueTokens, type IssuedTokens } from './session-tokens';
import { loadSession, revokeSession, type RevokeReason } from './sessions';
import { assertUnderRefreshLimit, countRefresh, countedRefresh, refreshAllowed } from './refresh-limit';
import type { RefreshTokenClaims } from './tokens';

/**
 * Refresh-token rotation. A session holds the jti of the single refresh token that is valid now; rotation is a
 * conditional UPDATE (`WHERE current_jti = presented`), atomic on SQLite and Postgres alike: of any number of concurrent
 * refreshes with the same token exactly one rotates. The others, and any retry within the grace window, get the same
 * successor back (the refresh token is re-signed from stored claims, so no token is kept at rest). Any other
 * presentation of a rotated token is reuse: the whole session is revoked.
 */

const toSeconds = (ms: number) => Math.floor(ms / 1000);

function grantError(reason: 'invalid' | 'expired' | 'revoked' | 'reused', message: string, cause?: LoginReason) {
  return new AuthError('invalid_grant', message, { reason, cause });
}

/** Maps a stored revoke reason to what the refresh endpoint answers. */
function revokedError(session: SessionRow): AuthError {
  const cause = (session.revoke_reason ?? 'revoked') as RevokeReason;
  if (cause === 'reused')
    return grantError('reused', 'The session was ended because a stolen token was detected.', cause);
  if (cause === 'max_age') return grantError('expired', 'The session reached its maximum age.', cause);
  return grantError('revoked', 'The session was revoked.', cause);
}

/** A session with its user's name, in one query (the refresh path's hot read). */
async function loadSessionAndUser(id: string): Promise<(SessionRow & { username: string }) | undefined> {
  const db = await getDb();
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select('users.username')
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

/**
 * Exchanges a verified refresh token for new tokens, rotating it, when the request may use the session
 * (lib/auth/binding.ts: its DPoP key, its bound cookie). Throws AuthError `invalid_grant` with reason `invalid`,
 * `expired`, `revoked` or `reused` (reuse revokes the whole session), or `wrong_key` / `wrong_device` (the session left
 * running); 429 `rate_limited` past the session's refresh limit.
 */
export async function refreshSession(
  claims: RefreshTokenClaims,
  presented: Presented,
  now = new Date(),
): Promise<IssuedTokens> {
  const config = getConfig();
  const nowMs = now.getTime();
  const found = await loadSessionAndUser(claims.sid);
  if (!found || found.user_id !== claims.sub) throw grantError('invalid', 'The refresh token has no session.');
  const { username, ...row } = found;
  const user: PublicUser = { id: row.user_id, username };
  let session: SessionRow | undefined = row;
  // Every attempt that reaches a session counts against its refresh limit: a rotation in its own UPDATE below, any
  // other outcome (a refusal, a grace-window retry) by countRefresh.
  assertUnderRefreshLimit(session, nowMs);
  if (session.revoked_at !== null) throw revokedError(session);
  if (session.absolute_expires_at <= nowMs) {
    await revokeSession(session.id, 'max_age', now);
    throw grantError('expired', 'The session reached its maximum age.', 'max_age');
  }
  // Before reuse detection: a copied cookie must not be able to end its owner's session.
  await assertBinding(session, presented, { now });

  if (claims.jti === session.current_jti) {
    const nowSeconds = toSeconds(nowMs);
    const next = {
      current_jti: crypto.randomUUID(),
      current_iat: nowSeconds,
      current_exp: Math.min(nowSeconds + config.REFRESH_TOKEN_TTL, toSeconds(session.absolute_expires_at)),
      previous_jti: claims.jti,
      rotated_at: nowMs,
      last_used_at: nowMs,
      dpop_jkt: keyAfter(session, presented.proofJkt),
    };
    const db = await getDb();
    const result = await db
      .updateTable('sessions')
      .set({ ...next, ...countedRefresh(nowMs), generation: sql<number>`generation + 1` })
      .where('id', '=', session.id)
      .where('current_jti', '=', claims.jti)
      .where('revoked_at', 'is', null)
      .where(refreshAllowed(nowMs))
      .executeTakeFirst();
    if (result.numUpdatedRows === BigInt(1)) {
      return issueTokens(user, { ...session, ...next, generation: session.generation + 1 }, now);
    }
    // Another request rotated (or revoked) first, or used up the limit: judge this one against the row as it is now.
    session = await loadSession(session.id);
    if (!session) throw grantError('invalid', 'The refresh token has no session.');
    if (session.revoked_at !== null) throw revokedError(session);
    assertUnderRefreshLimit(session, nowMs);
  }
  await countRefresh(session.id, nowMs);

  const withinGrace =
    session.previous_jti === claims.jti &&
    session.rotated_at !== null &&
    nowMs - session.rotated_at <= config.REFRESH_GRACE_SECONDS * 1000;
  if (withinGrace) return issueTokens(user, session, now);

  await revokeSession(session.id, 'reused', now);
  await recordSecurityEvent(
    'refresh_token_reused',
    { userId: session.user_id, sessionId: session.id },
    {
      jti: claims.jti,
      generation: session.generation,
    },
  );
  throw grantError('reused', 'A refresh token was used twice; the session has been ended.', 'reused');
}

/**
 * The invalid_grant for a genuine refresh token past its exp: tells an idle expiry from the session's maximum age, or
 * a revocation that came first, so the user is told the right reason.
 */
export async function expiredGrantError(sessionId: string | null, now = new Date()): Promise<AuthError> {
  const session = sessionId ? await loadSession(sessionId) : undefined;
  if (session?.revoked_at != null) return revokedError(session);
  // A refresh token's exp is whole seconds, capped at the maximum age rounded down: in the last fraction of a second
  // before the maximum age the token has already expired because of it, not because of inactivity.
  if (session && toSeconds(session.absolute_expires_at) <= toSeconds(now.getTime())) {
    return grantError('expired', 'The session reached its maximum age.', 'max_age');
  }
  return grantError('expired', 'The session expired after a period of inactivity.', 'expired');
}

/**
 * A warning when the grace window is shorter than the time the auth client may spend retrying one refresh
 * (lib/protocol.ts): a retry whose first answer was lost would then look like a stolen token and end the session.
 * Not an error: tests choose short times on purpose. Undefined when the window is long enough.
 */
export function graceWindowWarning(config: Config): string | undefined {
  const budget = REFRESH_RETRY_BUDGET_MS / 1000;
  if (config.REFRESH_GRACE_SECONDS >= budget) return undefined;
  return (
    `REFRESH_GRACE_SECONDS=${config.REFRESH_GRACE_SECONDS} is shorter than the client's refresh retry budget (${budget} s): ` +
    'a refresh whose answer is lost and retried may be treated as token theft.'
  );
}
