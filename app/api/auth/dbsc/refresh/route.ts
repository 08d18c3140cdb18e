import { assertDbscEnabled, refreshDbscSession } from '@/lib/auth/dbsc-sessions';
import { dbscProofOf, dbscRefreshResponse, dbscSessionIdOf } from '@/lib/http/dbsc';
import { route } from '@/lib/http/respond';
import { refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/dbsc/refresh (made by the browser itself before its bound cookie expires) with
 * `Sec-Secure-Session-Id: "<session id>"`:
 * - no proof → 403 with `Secure-Session-Challenge: "<challenge>";id="<session id>"` (the browser signs it and comes back);
 * - a proof by the registered key of a fresh, unused challenge → 200 instructions and a new bound cookie;
 * - a stale or used challenge → 403 with a new one; any other bad proof → 400 invalid_dbsc_proof (the browser ends
 *   its DBSC session), counted against the session's refresh limit (429 past it);
 * - no session id → 400 invalid_request; DBSC off → 404;
 * - a session that is over (signed out, revoked, expired) → 200 `{session_identifier, continue: false}`, which ends
 *   the browser's DBSC session, and the cookies cleared; the same answer, cookies untouched, when the browser's refresh
 *   cookie belongs to another session (it signed in again since).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDbscEnabled();
    const sessionId = dbscSessionIdOf(request);
    const refresh = await refreshDbscSession(sessionId, await refreshCookieOf(request), dbscProofOf(request));
    return dbscRefreshResponse(refresh);
  },
});
