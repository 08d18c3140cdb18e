import 'server-only';
import type { UpdateQueryBuilder, UpdateResult } from 'kysely';
import { getConfig } from '@/lib/config';
import { getDb, storeClockMs } from '@/lib/db';
import type { Database, SessionRow } from '@/lib/db/schema';
import type { PublicUser } from '@/lib/protocol';
import { assertBinding } from './binding';
import type { RefreshCookie } from './cookie';
import { AuthError } from './errors';
import { noteRevoked } from './revocations';
import { PASSWORD_AMR, issueTokens, type Amr, type IssuedTokens } from './session-tokens';
import type { AccessTokenClaims } from './tokens';

/**
 * Refresh sessions, one row per sign-in: their start, liveness and end. The sessions table is written only here and by
 * the modules of one concern each: rotation.ts (refresh), refresh-limit.ts (its counter), binding.ts (DPoP and DBSC
 * keys), renewal.ts (last use) and access-lifetime.ts.
 */

/** Why a session ended, as stored in sessions.revoke_reason. */
export type RevokeReason = 'signed_out' | 'reused' | 'revoked' | 'password_changed' | 'max_age';

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Whether a session can still be used: not revoked, its refresh token not expired, its maximum age not reached. */
export function isLive(
  session: Pick<SessionRow, 'revoked_at' | 'current_exp' | 'absolute_expires_at'>,
  now = new Date(),
): boolean {
  const nowMs = now.getTime();
  return session.revoked_at === null && session.current_exp * 1000 > nowMs && session.absolute_expires_at > nowMs;
}

/**
 * Where a session is started from: the browser's User-Agent, the thumbprint of its DPoP key when it is bound, and how
 * the user signed in (`amr`, a password by default).
 */
export interface SessionOrigin {
  userAgent?: string | null;
  jkt?: string | null;
  amr?: readonly Amr[];
}

/**
 * Starts a session for a signed-in user and issues its first tokens (bound to `jkt` when given); the sign-in's amr and
 * time are stored with it, so every token it is issued carries them.
 */
export async function startSession(
  user: PublicUser,
  { userAgent = null, jkt = null, amr = PASSWORD_AMR }: SessionOrigin,
  now = new Date(),
): Promise<IssuedTokens> {
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
    revoked_store_at: null,
    revoke_reason: null,
    user_agent: userAgent ? userAgent.slice(0, 512) : null,
    dpop_jkt: jkt,
    dbsc_jwk: null,
    dbsc_proved_at: null,
    access_ttl: null,
    refresh_count: 0,
    refresh_window_start: 0,
    amr: amr.join(' '),
    auth_time: toSeconds(nowMs),
  };
  await db.insertInto('sessions').values(session).execute();
  return issueTokens(user, session, now);
}

export async function loadSession(id: string): Promise<SessionRow | undefined> {
  const db = await getDb();
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
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

/**
 * The one place sessions are revoked: the rows still open that `select` picks get revoked_at, their reason and the
 * store's clock (what other instances poll for), and enter this instance's revocation set at once. Returns how many.
 */
async function revoke(
  select: (query: UpdateQueryBuilder<Database, 'sessions', 'sessions', UpdateResult>) => typeof query,
  reason: RevokeReason,
  now: Date,
): Promise<number> {
  const db = await getDb();
  const query = db
    .updateTable('sessions')
    .set({ revoked_at: now.getTime(), revoked_store_at: storeClockMs(db), revoke_reason: reason })
    .where('revoked_at', 'is', null);
  const ended = await select(query).returning('id').execute();
  noteRevoked(ended.map((row) => row.id));
  return ended.length;
}

/** Ends a session (idempotent: an already-revoked session keeps its first reason). */
export async function revokeSession(id: string, reason: RevokeReason, now = new Date()): Promise<void> {
  await revoke((query) => query.where('id', '=', id), reason, now);
}

/** Ends every session of a user but `except` (with `reason`); returns how many were still open. */
export async function revokeUserSessions(
  userId: string,
  options: { except?: string; reason: RevokeReason },
  now = new Date(),
): Promise<number> {
  return revoke(
    (query) => {
      const mine = query.where('user_id', '=', userId);
      return options.except ? mine.where('id', '!=', options.except) : mine;
    },
    options.reason,
    now,
  );
}

/** The session a refresh cookie names, valid or expired (sign-out and DBSC end a session whose token expired). */
export function cookieSessionId(cookie: RefreshCookie): string | null {
  if (cookie.status === 'valid') return cookie.claims.sid;
  return cookie.status === 'expired' ? cookie.sid : null;
}

/**
 * Signs out the session a refresh cookie names: revoked in the store (idempotent; an expired refresh token still ends
 * its session). With DPoP on, only with a proof by the session's key ({@link assertBinding}: invalid_grant
 * `wrong_key`, the session left running, the attempt recorded and counted).
 */
export async function signOut(cookie: RefreshCookie, proofJkt: string | null, now = new Date()): Promise<void> {
  const sessionId = cookieSessionId(cookie);
  const session = sessionId ? await loadSession(sessionId) : undefined;
  if (!session) return;
  await assertBinding(session, { proofJkt, boundCookie: null }, { signOut: true, now });
  await revokeSession(session.id, 'signed_out', now);
}
