import 'server-only';
import { sql } from 'kysely';
import { getDb } from '@/lib/db';
import { AuthError } from './errors';

/**
 * Sign-in rate limits, kept in the store (never in process memory: many instances serve one user at once). Refreshes
 * are limited per session (lib/auth/refresh-limit.ts).
 *
 * - Sign-in failures, per account and per client IP: after a handful of consecutive failures every attempt is refused
 *   with 429 for a back-off that doubles with each further failure. A success clears the account's count (the IP's
 *   only loses that one attempt, or one valid account would launder an attacker's guesses). Attempts are counted
 *   before the password is checked, so parallel guesses cannot slip past the limit. Quiet for an hour, all is forgotten.
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

/** The 429 for a key (or a session) that may try again at `blockedUntil` (epoch ms). */
export function rateLimited(blockedUntil: number, now: number): AuthError {
  const retryAfter = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
  return new AuthError('rate_limited', `Too many attempts; try again in ${retryAfter} s.`, { retryAfter });
}

const backoffMs = (limit: FailureLimit, over: number) =>
  Math.min(limit.maxSeconds, limit.baseSeconds * 2 ** Math.min(over, 20)) * 1000;

/**
 * Takes an attempt against a key before the password is checked, atomically: the attempt counts as a failure until
 * it proves otherwise ({@link attemptSucceeded}). So concurrent guesses each take a slot, and at most `allowed` of them
 * are ever checked before the key blocks. Throws 429 while the key is blocked or when no slot is left.
 */
export async function takeAttempt(key: string, limit: FailureLimit, now = Date.now()): Promise<void> {
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
    .returning(['failures', 'blocked_until'])
    .executeTakeFirstOrThrow();
  if (row.blocked_until > now) throw rateLimited(row.blocked_until, now);
  const over = row.failures - limit.allowed;
  if (over < 0) return;
  // Past the allowance, one attempt at a time goes through — the one that claims the next block (lifted again if it
  // succeeds); concurrent ones lose the claim and are refused. Attempts made while blocked lengthen the next block.
  const blockedUntil = now + backoffMs(limit, over);
  const claimed = await db
    .updateTable('throttle')
    .set({ blocked_until: blockedUntil })
    .where('key', '=', key)
    .where('blocked_until', '<=', now)
    .executeTakeFirst();
  if (!claimed.numUpdatedRows) throw rateLimited(blockedUntil, now);
}

/**
 * Settles a successful attempt: `clear` forgets the key entirely (an account, after its own password was right);
 * otherwise only this attempt is taken back (a client address, which one valid account must not launder).
 */
export async function attemptSucceeded(key: string, limit: FailureLimit, { clear }: { clear: boolean }): Promise<void> {
  const db = await getDb();
  if (clear) {
    await db.deleteFrom('throttle').where('key', '=', key).execute();
    return;
  }
  await db
    .updateTable('throttle')
    .set({
      failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
      blocked_until: sql<number>`case when failures - 1 < ${limit.allowed} then 0 else blocked_until end`,
    })
    .where('key', '=', key)
    .execute();
}

/** Rows untouched for a day and not blocking anything are forgotten (called on each successful sign-in). */
export async function pruneThrottle(now = Date.now()): Promise<void> {
  const db = await getDb();
  await db
    .deleteFrom('throttle')
    .where('updated_at', '<', now - 86_400_000)
    .where('blocked_until', '<', now)
    .execute();
}
