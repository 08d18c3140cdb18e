import 'server-only';
import { sql } from 'kysely';
import { getDb } from '@/lib/db';
import type { SessionRow } from '@/lib/db/schema';
import { rateLimited } from './throttle';

/**
 * Refreshes per session: a fixed window, generous enough for many tabs, tight enough to stop a loop — and a copied
 * cookie filling the security-event log (refused attempts count too). The count lives in the session's own row
 * (refresh_count, refresh_window_start), so that a rotation counts itself in the UPDATE that rotates: no write of its
 * own on the hot path.
 */

/** Refreshes allowed per session per window. */
export const REFRESH_LIMIT = { requests: 120, windowMs: 60_000 };

type Counted = Pick<SessionRow, 'refresh_count' | 'refresh_window_start'>;

const windowStartBefore = (now: number) => now - REFRESH_LIMIT.windowMs;

/** Throws 429 when the session, as read, has used up its window. */
export function assertUnderRefreshLimit(session: Counted, now = Date.now()): void {
  if (session.refresh_window_start >= windowStartBefore(now) && session.refresh_count >= REFRESH_LIMIT.requests) {
    throw rateLimited(session.refresh_window_start + REFRESH_LIMIT.windowMs, now);
  }
}

/** The SET clause that counts one refresh (a new window when the last one is over). */
export function countedRefresh(now: number) {
  const before = windowStartBefore(now);
  return {
    refresh_count: sql<number>`case when refresh_window_start < ${before} then 1 else refresh_count + 1 end`,
    refresh_window_start: sql<number>`case when refresh_window_start < ${before} then ${now} else refresh_window_start end`,
  };
}

/** The WHERE condition under which one more refresh is allowed (atomic with the UPDATE that counts it). */
export function refreshAllowed(now: number) {
  return sql<boolean>`(refresh_window_start < ${windowStartBefore(now)} or refresh_count < ${REFRESH_LIMIT.requests})`;
}

/**
 * Counts an attempt on a session that does not rotate it (a grace-window retry, a refusal, a refused DBSC proof);
 * throws 429 past the limit. Nothing is counted for a session that does not exist.
 */
export async function countRefresh(sessionId: string, now = Date.now()): Promise<void> {
  const db = await getDb();
  const row = await db
    .updateTable('sessions')
    .set(countedRefresh(now))
    .where('id', '=', sessionId)
    .returning(['refresh_count', 'refresh_window_start'])
    .executeTakeFirst();
  if (row && row.refresh_count > REFRESH_LIMIT.requests)
    throw rateLimited(row.refresh_window_start + REFRESH_LIMIT.windowMs, now);
}
