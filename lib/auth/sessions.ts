import 'server-only';
import { decodeJwt, errors as joseErrors } from 'jose';
import { sql } from 'kysely';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import type { SessionRow } from '@/lib/db/schema';
import type { PublicUser } from './accounts';
import { AuthError } from './errors';
import { countRefresh } from './throttle';
import { signAccessToken, signRefreshToken, verifyRefreshToken, type AccessTokenClaims } from './tokens';

/**
 * Refresh sessions: one row per sign-in, holding the jti of the single refresh token that is valid now.
 *
 * Rotation is a conditional UPDATE (`WHERE current_jti = presented`), atomic on SQLite and Postgres alike: of any number
 * of concurrent refreshes with the same token exactly one rotates. The others, and any retry within the grace window,
 * get the same successor back (the refresh token is re-signed from stored claims, so no token is kept at rest). Any
 * other presentation of a rotated token is reuse: the whole session is revoked.
 */

/** Why a session ended, as stored in sessions.revoke_reason. */
export type RevokeReason = 'signed_out' | 'reused' | 'revoked' | 'password_changed' | 'max_age';

export interface IssuedTokens {
  user: PublicUser;
  sessionId: string;
  accessToken: string;
  accessClaims: AccessTokenClaims;
  refreshToken: string;
  /** Epoch seconds at which the refresh token (and so the cookie) ends. */
  refreshExpiresAt: number;
  /** Epoch seconds at which the session reaches its maximum age, however busy. */
  sessionExpiresAt: number;
}

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** The access-token lifetime for a session: the demo's per-session choice, never above the configured one. */
function accessTtlFor(session: Pick<SessionRow, 'access_ttl'>): number {
  const configured = getConfig().accessTtl;
  return Math.min(session.access_ttl ?? configured, configured);
}

/** An access token for a session: its chosen lifetime, never outliving its current refresh token. */
export function accessTokenFor(session: SessionRow, now = new Date()): Promise<{ token: string; claims: AccessTokenClaims }> {
  return signAccessToken({
    userId: session.user_id,
    sessionId: session.id,
    ttl: accessTtlFor(session),
    notAfter: session.current_exp,
    now,
  });
}

async function issue(user: PublicUser, session: SessionRow, now: Date): Promise<IssuedTokens> {
  const refreshToken = await signRefreshToken({
    sub: session.user_id,
    sid: session.id,
    jti: session.current_jti,
    iat: session.current_iat,
    exp: session.current_exp,
  });
  const access = await accessTokenFor(session, now);
  return {
    user,
    sessionId: session.id,
    accessToken: access.token,
    accessClaims: access.claims,
    refreshToken,
    refreshExpiresAt: session.current_exp,
    sessionExpiresAt: toSeconds(session.absolute_expires_at),
  };
}

/** Starts a session for a signed-in user and issues its first tokens. */
export async function startSession(user: PublicUser, userAgent: string | null, now = new Date()): Promise<IssuedTokens> {
  const config = getConfig();
  const db = await getDb();
  const nowMs = now.getTime();
  const absoluteExpiresAt = nowMs + config.sessionMaxAge * 1000;
  const session: SessionRow = {
    id: crypto.randomUUID(),
    user_id: user.id,
    current_jti: crypto.randomUUID(),
    current_iat: toSeconds(nowMs),
    current_exp: Math.min(toSeconds(nowMs) + config.refreshTtl, toSeconds(absoluteExpiresAt)),
    previous_jti: null,
    previous_iat: null,
    previous_exp: null,
    rotated_at: null,
    generation: 0,
    created_at: nowMs,
    last_used_at: nowMs,
    absolute_expires_at: absoluteExpiresAt,
    access_ttl: null,
    revoked_at: null,
    revoke_reason: null,
    user_agent: userAgent ? userAgent.slice(0, 512) : null,
  };
  await db.insertInto('sessions').values(session).execute();
  return issue(user, session, now);
}

export async function loadSession(id: string): Promise<SessionRow | undefined> {
  const db = await getDb();
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
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

/** Ends a session (idempotent: an already-revoked session keeps its first reason). */
export async function revokeSession(id: string, reason: RevokeReason, now = new Date()): Promise<void> {
  const db = await getDb();
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.getTime(), revoke_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function recordSecurityEvent(
  kind: string,
  refs: { userId?: string; sessionId?: string },
  detail?: Record<string, unknown>,
): Promise<void> {
  const db = await getDb();
  await db
    .insertInto('security_events')
    .values({
      id: crypto.randomUUID(),
      user_id: refs.userId ?? null,
      session_id: refs.sessionId ?? null,
      kind,
      detail: detail ? JSON.stringify(detail) : null,
      created_at: Date.now(),
    })
    .execute();
}

function grantError(reason: 'invalid' | 'expired' | 'revoked' | 'reused', message: string, cause?: RevokeReason | 'expired') {
  return new AuthError('invalid_grant', message, { reason, cause });
}

/** Maps a stored revoke reason to what the refresh endpoint answers. */
function revokedError(session: SessionRow): AuthError {
  const cause = (session.revoke_reason ?? 'revoked') as RevokeReason;
  if (cause === 'reused') return grantError('reused', 'The session was ended because a stolen token was detected.', cause);
  if (cause === 'max_age') return grantError('expired', 'The session reached its maximum age.', cause);
  return grantError('revoked', 'The session was revoked.', cause);
}

/**
 * Exchanges a refresh token for new tokens, rotating it. Throws AuthError `invalid_grant` with reason `invalid`,
 * `expired`, `revoked` or `reused`; reuse revokes the whole session.
 */
export async function refreshSession(presented: string, now = new Date()): Promise<IssuedTokens> {
  const config = getConfig();
  const claims = await verifyRefreshToken(presented, now).catch(async (error: unknown) => {
    if (error instanceof AuthError && error.detail.reason === 'expired') throw await expiredError(presented, now);
    throw error;
  });
  await countRefresh(claims.sid, now.getTime());
  const nowMs = now.getTime();
  const found = await loadSessionAndUser(claims.sid);
  if (!found || found.user_id !== claims.sub) throw grantError('invalid', 'The refresh token has no session.');
  const { username, ...row } = found;
  const user: PublicUser = { id: row.user_id, username };
  let session: SessionRow | undefined = row;
  if (session.revoked_at !== null) throw revokedError(session);
  if (session.absolute_expires_at <= nowMs) {
    await revokeSession(session.id, 'max_age', now);
    throw grantError('expired', 'The session reached its maximum age.', 'max_age');
  }

  if (claims.jti === session.current_jti) {
    const nowSeconds = toSeconds(nowMs);
    const next = {
      current_jti: crypto.randomUUID(),
      current_iat: nowSeconds,
      current_exp: Math.min(nowSeconds + config.refreshTtl, toSeconds(session.absolute_expires_at)),
      previous_jti: claims.jti,
      previous_iat: session.current_iat,
      previous_exp: session.current_exp,
      rotated_at: nowMs,
      last_used_at: nowMs,
    };
    const db = await getDb();
    const result = await db
      .updateTable('sessions')
      .set({ ...next, generation: sql<number>`generation + 1` })
      .where('id', '=', session.id)
      .where('current_jti', '=', claims.jti)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === BigInt(1)) {
      return issue(user, { ...session, ...next, generation: session.generation + 1 }, now);
    }
    // Another request rotated (or revoked) first: judge this one against the row as it is now.
    session = await loadSession(session.id);
    if (!session) throw grantError('invalid', 'The refresh token has no session.');
    if (session.revoked_at !== null) throw revokedError(session);
  }

  const withinGrace =
    session.previous_jti === claims.jti &&
    session.rotated_at !== null &&
    nowMs - session.rotated_at <= config.refreshGrace * 1000;
  if (withinGrace) return issue(user, session, now);

  await revokeSession(session.id, 'reused', now);
  await recordSecurityEvent('refresh_token_reused', { userId: session.user_id, sessionId: session.id }, {
    jti: claims.jti,
    generation: session.generation,
  });
  throw grantError('reused', 'A refresh token was used twice; the session has been ended.', 'reused');
}

/** Tells an idle expiry from the session's maximum age, so the user is told the right reason. */
async function expiredError(presented: string, now: Date): Promise<AuthError> {
  const sid = safeDecode(presented)?.sid;
  const session = typeof sid === 'string' ? await loadSession(sid) : undefined;
  if (session?.revoked_at != null) return revokedError(session);
  if (session && session.absolute_expires_at <= now.getTime()) {
    return grantError('expired', 'The session reached its maximum age.', 'max_age');
  }
  return grantError('expired', 'The session expired after a period of inactivity.', 'expired');
}

/** Reads the claims of a token whose signature was already checked (or does not matter); null for garbage. */
function safeDecode(token: string): Record<string, unknown> | null {
  try {
    return decodeJwt(token);
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}

/**
 * Ends the session a refresh token belongs to (logout). Accepts an expired token, since signing out must always work;
 * the signature is still checked so nobody can end someone else's session with a forged token.
 */
export async function endSessionOf(presented: string, now = new Date()): Promise<void> {
  const sid = await verifyRefreshToken(presented, now).then(
    (claims) => claims.sid,
    async (error: unknown) => {
      if (error instanceof AuthError && error.detail.reason === 'expired') {
        const decoded = safeDecode(presented);
        return typeof decoded?.sid === 'string' ? decoded.sid : null;
      }
      return null;
    },
  );
  if (sid) await revokeSession(sid, 'signed_out', now);
}

/**
 * For sliding renewal: a new access token for a still-live session, or null when the session is revoked or over.
 * The renewal never outlives the refresh session.
 */
export async function renewAccessToken(claims: AccessTokenClaims, now = new Date()): Promise<{ token: string; claims: AccessTokenClaims } | null> {
  const session = await loadSession(claims.sid);
  const nowMs = now.getTime();
  if (!session || session.revoked_at !== null || session.user_id !== claims.sub) return null;
  if (session.absolute_expires_at <= nowMs || session.current_exp * 1000 <= nowMs) return null;
  const db = await getDb();
  await db.updateTable('sessions').set({ last_used_at: nowMs }).where('id', '=', session.id).execute();
  return accessTokenFor(session, now);
}
