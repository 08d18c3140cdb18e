import { challengeHeader, DBSC_HEADERS, endInstructions, headerString, verifyRefreshProof } from '@/lib/auth/dbsc';
import { AuthError } from '@/lib/auth/errors';
import { isLive, loadSession, markDeviceProved, recordSecurityEvent } from '@/lib/auth/sessions';
import { countRefresh } from '@/lib/auth/throttle';
import { assertDbscEnabled, boundResponse } from '@/lib/http/dbsc';
import { HttpError } from '@/lib/http/errors';
import { json, route } from '@/lib/http/respond';
import { clearRefreshCookie, refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/dbsc/refresh (made by the browser itself before its bound cookie expires) with
 * `Sec-Secure-Session-Id: "<session id>"`:
 * - no proof → 403 with `Secure-Session-Challenge: "<challenge>";id="<session id>"` (the browser signs it and comes back);
 * - a proof by the registered key of a fresh, unused challenge → 200 instructions and a new bound cookie;
 * - a stale or used challenge → 403 with a new one; any other bad proof → 400 invalid_dbsc_proof (the browser ends
 *   its DBSC session);
 * - a session that is over (signed out, revoked, expired) → 200 `{session_identifier, continue: false}`, which ends
 *   the browser's DBSC session, and the cookies cleared; the same answer, cookies untouched, when the browser's refresh
 *   cookie belongs to another session (it signed in again since).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDbscEnabled();
    const sessionId = headerString(request.headers.get(DBSC_HEADERS.sessionId));
    if (!sessionId || sessionId.length > 64) throw new HttpError('invalid_request', `Send ${DBSC_HEADERS.sessionId}.`);
    const cookie = await refreshCookieOf(request);
    const cookieSession = cookie.status === 'valid' ? cookie.claims.sid : cookie.status === 'expired' ? cookie.sid : null;
    const session = await loadSession(sessionId);
    if (!session?.dbsc_jwk || !isLive(session) || cookieSession !== sessionId) {
      // When the browser's cookie belongs to another session (signed in again since), that one is left alone.
      if (cookieSession !== null && cookieSession !== sessionId) return json(endInstructions(sessionId));
      if (session?.dbsc_jwk) await recordSecurityEvent('dbsc_ended', { userId: session.user_id, sessionId });
      return clearRefreshCookie(json(endInstructions(sessionId)));
    }

    const challenge = async () =>
      json({ error: 'dbsc_challenge', message: 'Sign this challenge.' }, { status: 403, headers: { [DBSC_HEADERS.challenge]: await challengeHeader(sessionId) } });
    const proof = request.headers.get(DBSC_HEADERS.response);
    if (proof === null) return challenge();
    try {
      await verifyRefreshProof(proof, sessionId, session.dbsc_jwk);
    } catch (error) {
      if (error instanceof AuthError && error.options.stale) return challenge();
      if (error instanceof AuthError) {
        // Counted like refreshes (429 past the limit), so a copied cookie cannot fill the event log.
        await countRefresh(sessionId);
        await recordSecurityEvent('dbsc_proof_refused', { userId: session.user_id, sessionId }, { message: error.message });
      }
      throw error;
    }
    await markDeviceProved(sessionId);
    await recordSecurityEvent('dbsc_refreshed', { userId: session.user_id, sessionId });
    return boundResponse(sessionId);
  },
});
