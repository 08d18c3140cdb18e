import 'server-only';
import { sql } from 'kysely';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import type { SessionRow } from '@/lib/db/schema';
import type { LoginReason, PublicUser } from '@/lib/protocol';
import { AuthError } from './errors';
import { isBoundCookieValid } from './bound-cookie';
import { countRefresh } from './throttle';
import { signAccessToken, signRefreshToken, type AccessTokenClaims, type RefreshTokenClaims } from './tokens';

/**
 * Refresh sessions: one row per sign-in, holding the jti of the single refresh token that is valid now. This module is
 * the only writer of the sessions table.
 *
 * Rotation is a conditional UPDATE (`WHERE current_jti = presented`), atomic on SQLite and Postgres alike: of any number
 * of concurrent refreshes with the same token exactly one rotates. The others, and any retry within the grace window,
 * get the same successor back (the refresh token is re-signed from stored claims, so no token is kept at rest). Any
 * other presentation of a rotated token is reuse: the whole session is revoked.
 */

/** Why a session ended, as stored in sessions.revoke_reason. */
export type RevokeReason = 'signed_out' | 'reused' | 'revoked' | 'password_changed' | 'max_age';

export interface IssuedAccessToken {
  user: PublicUser;
  sessionId: string;
  accessToken: string;
  accessClaims: AccessTokenClaims;
  /** Epoch seconds at which the refresh token (and so the cookie) ends. */
  refreshExpiresAt: number;
  /** Epoch seconds at which the session reaches its maximum age, however busy. */
  sessionExpiresAt: number;
}

export interface IssuedTokens extends IssuedAccessToken {
  refreshToken: string;
  /** The session is bound to the device's key (DBSC): its refresh cookie says so, for the middleware. */
  deviceBound: boolean;
}

/** Where a caller may shorten the access tokens a session is issued (the live demo does); never above the configured. */
export type AccessTtlSource = (sessionId: string) => number | null;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Whether a session can still be used: not revoked, its refresh token not expired, its maximum age not reached. */
export function isLive(session: Pick<SessionRow, 'revoked_at' | 'current_exp' | 'absolute_expires_at'>, now = new Date()): boolean {
  const nowMs = now.getTime();
  return session.revoked_at === null && session.current_exp * 1000 > nowMs && session.absolute_expires_at > nowMs;
}

/** An access token for a session, `ttl` seconds long (at most ACCESS_TOKEN_TTL), never outliving its refresh token. */
export function accessTokenFor(
  session: Pick<SessionRow, 'id' | 'user_id' | 'current_exp' | 'dpop_jkt'>,
  ttl: number | null,
  now = new Date(),
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const configured = getConfig().ACCESS_TOKEN_TTL;
  return signAccessToken({
    userId: session.user_id,
    sessionId: session.id,
    ttl: Math.min(ttl ?? configured, configured),
    notAfter: session.current_exp,
    jkt: session.dpop_jkt,
    now,
  });
}

/** The access token and session times a sign-in or refresh answers with. */
export async function issueAccessToken(
  user: PublicUser,
  session: Pick<SessionRow, 'id' | 'user_id' | 'current_exp' | 'absolute_expires_at' | 'dpop_jkt'>,
  ttl: number | null,
  now = new Date(),
): Promise<IssuedAccessToken> {
  const access = await accessTokenFor(session, ttl, now);
  return {
    user,
    sessionId: session.id,
    accessToken: access.token,
    accessClaims: access.claims,
    refreshExpiresAt: session.current_exp,
    sessionExpiresAt: toSeconds(session.absolute_expires_at),
  };
}

async function issue(user: PublicUser, session: SessionRow, now: Date, ttl: number | null): Promise<IssuedTokens> {
  const refreshToken = await signRefreshToken({
    sub: session.user_id,
    sid: session.id,
    jti: session.current_jti,
    iat: session.current_iat,
    exp: session.current_exp,
  });
  return { ...(await issueAccessToken(user, session, ttl, now)), refreshToken, deviceBound: session.dbsc_jwk !== null };
}

/** Where a session is started from: the browser's User-Agent, and the thumbprint of its DPoP key when it is bound. */
export interface SessionOrigin {
  userAgent?: string | null;
  jkt?: string | null;
}

/** Starts a session for a signed-in user and issues its first tokens (bound to `jkt` when given). */
export async function startSession(user: PublicUser, { userAgent = null, jkt = null }: SessionOrigin, now = new Date()): Promise<IssuedTokens> {
  const config = getConfig();
  const db = await getDb();
  const nowMs = now.getTime();
  const absoluteExpiresAt = nowMs + config.SESSION_MAX_AGE * 1000;
  const session: SessionRow = {
    id: crypto.randomUUID(),
    user_id: user.id,
    current_jti: crypto.randomUUID(),
    current_iat: toSeconds(nowMs),
    current_exp: Math.min(toSeconds(nowMs) + config.REFRESH_TOKEN_TTL, toSeconds(absoluteExpiresAt)),
    previous_jti: null,
    rotated_at: null,
    generation: 0,
    created_at: nowMs,
    last_used_at: nowMs,
    absolute_expires_at: absoluteExpiresAt,
    revoked_at: null,
    revoke_reason: null,
    user_agent: userAgent ? userAgent.slice(0, 512) : null,
    dpop_jkt: jkt,
    dbsc_jwk: null,
    dbsc_proved_at: null,
  };
  await db.insertInto('sessions').values(session).execute();
  return issue(user, session, now, null);
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

/**
 * Checks that the session behind an access token is still live in the store; throws `invalid_token` when it is not.
 * Stateless checks cannot see a revocation: the endpoints that act on the account make this one too.
 */
export async function assertLive(claims: AccessTokenClaims, now = new Date()): Promise<SessionRow> {
  const session = await loadSession(claims.sid);
  if (!session || session.user_id !== claims.sub || !isLive(session, now)) {
    throw new AuthError('invalid_token', 'The session behind this token has ended.');
  }
  return session;
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

/** Ends every session of a user but `except` (with `reason`); returns how many were still open. */
export async function revokeUserSessions(
  userId: string,
  options: { except?: string; reason: RevokeReason },
  now = new Date(),
): Promise<number> {
  const db = await getDb();
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now.getTime(), revoke_reason: options.reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.except) query = query.where('id', '!=', options.except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
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

function grantError(reason: 'invalid' | 'expired' | 'revoked' | 'reused', message: string, cause?: LoginReason) {
  return new AuthError('invalid_grant', message, { reason, cause });
}

/** Maps a stored revoke reason to what the refresh endpoint answers. */
function revokedError(session: SessionRow): AuthError {
  const cause = (session.revoke_reason ?? 'revoked') as RevokeReason;
  if (cause === 'reused') return grantError('reused', 'The session was ended because a stolen token was detected.', cause);
  if (cause === 'max_age') return grantError('expired', 'The session reached its maximum age.', cause);
  return grantError('revoked', 'The session was revoked.', cause);
}

export interface RefreshOptions {
  now?: Date;
  /** The access-token lifetime for the session; ACCESS_TOKEN_TTL when absent or null. */
  accessTtl?: AccessTtlSource;
  /**
   * With DPoP: the thumbprint of the key that signed the request's proof (null: no proof). The session must be bound to
   * it; a session not bound yet (started while DPoP was off) is bound to it now. Undefined: DPoP is off.
   */
  proofJkt?: string | null;
  /**
   * With DBSC: the request's bound cookie (null: none). A session whose browser registered a device key refreshes only
   * with a valid one. Undefined: DBSC is off.
   */
  boundCookie?: string | null;
}

/**
 * Exchanges a verified refresh token for new tokens, rotating it. Throws AuthError `invalid_grant` with reason
 * `invalid`, `expired`, `revoked` or `reused`; reuse revokes the whole session.
 */
export async function refreshSession(claims: RefreshTokenClaims, options: RefreshOptions = {}): Promise<IssuedTokens> {
  const config = getConfig();
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  await countRefresh(claims.sid, nowMs);
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
  if (options.proofJkt !== undefined) await assertSessionKey(session, options.proofJkt);
  if (options.boundCookie !== undefined) await assertBoundDevice(session, options.boundCookie, now);
  const ttl = options.accessTtl?.(session.id) ?? null;

  if (claims.jti === session.current_jti) {
    const nowSeconds = toSeconds(nowMs);
    const next = {
      current_jti: crypto.randomUUID(),
      current_iat: nowSeconds,
      current_exp: Math.min(nowSeconds + config.REFRESH_TOKEN_TTL, toSeconds(session.absolute_expires_at)),
      previous_jti: claims.jti,
      rotated_at: nowMs,
      last_used_at: nowMs,
      dpop_jkt: session.dpop_jkt ?? options.proofJkt ?? null,
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
      return issue(user, { ...session, ...next, generation: session.generation + 1 }, now, ttl);
    }
    // Another request rotated (or revoked) first: judge this one against the row as it is now.
    session = await loadSession(session.id);
    if (!session) throw grantError('invalid', 'The refresh token has no session.');
    if (session.revoked_at !== null) throw revokedError(session);
  }

  const withinGrace =
    session.previous_jti === claims.jti &&
    session.rotated_at !== null &&
    nowMs - session.rotated_at <= config.REFRESH_GRACE_SECONDS * 1000;
  if (withinGrace) return issue(user, session, now, ttl);

  await revokeSession(session.id, 'reused', now);
  await recordSecurityEvent('refresh_token_reused', { userId: session.user_id, sessionId: session.id }, {
    jti: claims.jti,
    generation: session.generation,
  });
  throw grantError('reused', 'A refresh token was used twice; the session has been ended.', 'reused');
}

/**
 * A bound session's refresh cookie is only good with a proof by the session's key (RFC 9449 §5). Without one it is
 * refused (`wrong_key`) and the attempt recorded, but the session is NOT ended: whoever holds a copied cookie must not be
 * able to sign its owner out. Checked before reuse detection for the same reason.
 */
async function assertSessionKey(session: SessionRow, proofJkt: string | null): Promise<void> {
  if (proofJkt !== null && (session.dpop_jkt === null || session.dpop_jkt === proofJkt)) return;
  await recordSecurityEvent('dpop_key_mismatch', { userId: session.user_id, sessionId: session.id }, { proof: proofJkt !== null });
  throw new AuthError(
    'invalid_grant',
    proofJkt === null ? 'This refresh session needs a DPoP proof by its key.' : 'The DPoP proof is signed by a key other than the session\'s.',
    { reason: 'wrong_key', cause: 'key_lost' },
  );
}

/**
 * A session bound to a device key (DBSC) refreshes only with a valid bound cookie, which only the device that holds the
 * key can keep renewing. Without one the refresh is refused (`wrong_device`) and recorded, the session left running,
 * like a refresh without the DPoP key.
 */
async function assertBoundDevice(session: SessionRow, boundCookie: string | null, now: Date): Promise<void> {
  if (session.dbsc_jwk === null || (await isBoundCookieValid(boundCookie, session.id, now))) return;
  await recordSecurityEvent('dbsc_cookie_missing', { userId: session.user_id, sessionId: session.id }, { cookie: boundCookie !== null });
  throw new AuthError('invalid_grant', 'This session is bound to a device, and this request did not come from it.', {
    reason: 'wrong_device',
    cause: 'key_lost',
  });
}

/**
 * Binds a live session to the device key its browser registered (DBSC); false when the session is over or already has
 * one (a session is registered once).
 */
export async function registerDeviceKey(sessionId: string, jwk: string, now = new Date()): Promise<boolean> {
  const db = await getDb();
  const result = await db
    .updateTable('sessions')
    .set({ dbsc_jwk: jwk, dbsc_proved_at: now.getTime() })
    .where('id', '=', sessionId)
    .where('dbsc_jwk', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === BigInt(1);
}

/** Records that the browser proved the session's device key again (a DBSC refresh). */
export async function markDeviceProved(sessionId: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db.updateTable('sessions').set({ dbsc_proved_at: now.getTime() }).where('id', '=', sessionId).execute();
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
 * For sliding renewal: a new access token as long as the one presented (never above ACCESS_TOKEN_TTL), for a still-live
 * session, or null when the session is revoked or over — or bound to a device (DBSC) and `boundCookie` (the request's
 * bound cookie; undefined when DBSC is off) is not valid for it: renewal must not outlast what a refresh would allow.
 * The renewal never outlives the refresh session.
 */
export async function renewAccessToken(
  claims: AccessTokenClaims,
  { now = new Date(), boundCookie }: { now?: Date; boundCookie?: string | null } = {},
): Promise<{ token: string; claims: AccessTokenClaims } | null> {
  const session = await loadSession(claims.sid);
  if (!session || session.user_id !== claims.sub || !isLive(session, now)) return null;
  if (boundCookie !== undefined && session.dbsc_jwk !== null && !(await isBoundCookieValid(boundCookie, session.id, now))) return null;
  const db = await getDb();
  await db.updateTable('sessions').set({ last_used_at: now.getTime() }).where('id', '=', session.id).execute();
  return accessTokenFor(session, claims.exp - claims.iat, now);
}
