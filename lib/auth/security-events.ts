import 'server-only';
import { getDb } from '@/lib/db';

/**
 * The security-event log (table `security_events`): what the Sessions page, the live demo and the tests read about
 * attempts on a session and about its DBSC key. Written by the modules that detect each event, never by routes.
 */

/** Every kind of event the log holds. */
export type SecurityEventKind =
  /** A rotated refresh token was presented outside the grace window: the session was ended (reuse detection). */
  | 'refresh_token_reused'
  /** The refresh cookie came without a proof by the session's DPoP key (refresh or sign-out); refused. */
  | 'dpop_key_mismatch'
  /** A DBSC-bound session's refresh came without a valid bound cookie; refused. */
  | 'dbsc_cookie_missing'
  /** The browser registered a DBSC key for the session. */
  | 'dbsc_registered'
  /** The browser proved its DBSC key again and got a new bound cookie. */
  | 'dbsc_refreshed'
  /** A DBSC refresh proof was refused. */
  | 'dbsc_proof_refused'
  /** The browser's DBSC session was told to end (its refresh session is over). */
  | 'dbsc_ended';

/** The kinds that are refused attempts to use a session without its key or its bound cookie (the Sessions page counts them). */
export const REFUSED_ATTEMPTS = [
  'dpop_key_mismatch',
  'dbsc_cookie_missing',
] as const satisfies readonly SecurityEventKind[];

/** Whom an event concerns. */
export interface EventRefs {
  userId: string;
  sessionId: string;
}

/** Appends an event to the log; `detail` is stored as JSON and never holds a token, a cookie or a key. */
export async function recordSecurityEvent(
  kind: SecurityEventKind,
  refs: EventRefs,
  detail?: Record<string, unknown>,
): Promise<void> {
  const db = await getDb();
  await db
    .insertInto('security_events')
    .values({
      id: crypto.randomUUID(),
      user_id: refs.userId,
      session_id: refs.sessionId,
      kind,
      detail: detail ? JSON.stringify(detail) : null,
      created_at: Date.now(),
    })
    .execute();
}
