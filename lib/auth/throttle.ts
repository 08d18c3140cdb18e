import 'server-only';
import { sql } from 'kysely';
import { getDb } from '@/lib/db';
import { AuthError } from './errors';

/**
 * Rate limits kept in the store (never in process memory: many instances serve one user at once).
 *
 * - Sign-in failures, per account and per client IP: after a handful of consecutive failures every attempt is refused
 *   with 429 for a back-off that doubles with each further failure. A success clears the account's count (not the
 *   IP's, or one valid account would launder an attacker's guesses). Failures are forgotten after a quiet hour.
 * - Refreshes per session: a fixed window, generous enough for many tabs, tight enough to stop a loop.
 */

export interface FailureLimit {
  /** Consecutive failures allowed before the first block. */
  allowed: number;
  /** The first block, in seconds; each further failure doubles it. */
  baseSeconds: number;
  maxSeconds: number;
}

export const ACCOUNT_LIMIT: FailureLimit = { allowed: 10, baseSeconds: 1, maxSeconds: 15 * 60 };
/** Generous: many people can share one address (offices, mobile carriers). */
export const IP_LIMIT: FailureLimit = { allowed: 100, baseSeconds: 2, maxSeconds: 15 * 60 };

/** Failures older than this (since the last one) no longer count. */
const FAILURE_MEMORY_MS = 60 * 60 * 1000;

function rateLimited(blockedUntil: number, now: number): AuthError {
  const retryAfter = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
  return new AuthError('rate_limited', `Too many attempts; try again in ${retryAfter} s.`, { retryAfter });
}

/** Throws 429 when any of the keys is blocked now. */
export async function assertNotBlocked(keys: string[], now = Date.now()): Promise<void> {
  const db = await getDb();
  const rows = await db.selectFrom('throttle').select(['blocked_until']).where('key', 'in', keys).execute();
  const blockedUntil = Math.max(0, ...rows.map((row) => row.blocked_until));
  if (blockedUntil > now) throw rateLimited(blockedUntil, now);
}

/** Counts a failure against a key (atomically) and blocks it once it is past its allowance. */
export async function recordFailure(key: string, limit: FailureLimit, now = Date.now()): Promise<void> {
  const db = await getDb();
  const forgetBefore = now - FAILURE_MEMORY_MS;
  const row = await db
    .insertInto('throttle')
    .values({ key, failures: 1, blocked_until: 0, updated_at: now })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        failures: sql<number>`case when throttle.updated_at < ${forgetBefore} then 1 else throttle.failures + 1 end`,
        updated_at: now,
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  const over = row.failures - limit.allowed;
  if (over < 0) return;
  const seconds = Math.min(limit.maxSeconds, limit.baseSeconds * 2 ** Math.min(over, 20));
  await db.updateTable('throttle').set({ blocked_until: now + seconds * 1000 }).where('key', '=', key).execute();
}

/** Forgets a key's failures (a successful sign-in clears its account). */
export async function clearFailures(key: string): Promise<void> {
  const db = await getDb();
  await db.deleteFrom('throttle').where('key', '=', key).execute();
}

/** Refreshes allowed per session per window. */
export const REFRESH_LIMIT = { requests: 120, windowMs: 60_000 };

/**
 * Counts a refresh of a session in the current window; throws 429 past the limit. The window's start is kept in
 * updated_at and its count in failures (the same table, one row per key).
 */
export async function countRefresh(sessionId: string, now = Date.now()): Promise<void> {
  const db = await getDb();
  const windowStart = now - REFRESH_LIMIT.windowMs;
  const row = await db
    .insertInto('throttle')
    .values({ key: `refresh:${sessionId}`, failures: 1, blocked_until: 0, updated_at: now })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        failures: sql<number>`case when throttle.updated_at < ${windowStart} then 1 else throttle.failures + 1 end`,
        updated_at: sql<number>`case when throttle.updated_at < ${windowStart} then ${now} else throttle.updated_at end`,
      }),
    )
    .returning(['failures', 'updated_at'])
    .executeTakeFirstOrThrow();
  if (row.failures > REFRESH_LIMIT.requests) throw rateLimited(row.updated_at + REFRESH_LIMIT.windowMs, now);
}
