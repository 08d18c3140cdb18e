import { sealRefreshToken, refreshCookieName, refreshCookieOptions } from '@/lib/auth/cookie';
import { DBSC_HEADERS, verifyRegistration } from '@/lib/auth/dbsc';
import { AuthError } from '@/lib/auth/errors';
import { isLive, loadSession, recordSecurityEvent, registerDeviceKey } from '@/lib/auth/sessions';
import { assertDbscEnabled, boundResponse } from '@/lib/http/dbsc';
import { assertSameOrigin } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/dbsc/register (made by the browser itself, after a sign-in offered DBSC): the refresh cookie and
 * `Secure-Session-Response: <dbsc+jwt>` carrying the device's new public key and signing the sign-in's challenge →
 * 200 session instructions, the first bound cookie, and the refresh cookie marked device-bound. 400
 * invalid_dbsc_proof for a bad proof or a session already bound; 401 invalid_grant without a live refresh session; 404
 * when DBSC is off. Any 4xx makes the browser give up registering, which leaves the session as it was.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDbscEnabled();
    assertSameOrigin(request);
    const cookie = await refreshCookieOf(request);
    if (cookie.status !== 'valid') throw new AuthError('invalid_grant', 'No refresh session to bind.', { reason: 'missing' });
    const { sid } = cookie.claims;
    const jwk = await verifyRegistration(request.headers.get(DBSC_HEADERS.response), sid);
    const session = await loadSession(sid);
    if (!session || !isLive(session) || !(await registerDeviceKey(sid, jwk))) {
      throw new AuthError('invalid_dbsc_proof', 'This session is over, or already bound to a device.');
    }
    await recordSecurityEvent('dbsc_registered', { userId: session.user_id, sessionId: sid });
    const response = await boundResponse(sid);
    // Mark the refresh cookie, unless a rotation replaced it meanwhile (the next rotation marks its successor).
    if (cookie.claims.jti === session.current_jti) {
      const ttl = cookie.claims.exp - Math.floor(Date.now() / 1000);
      response.cookies.set(refreshCookieName(), await sealRefreshToken(cookie.token, ttl, true), refreshCookieOptions(ttl));
    }
    return response;
  },
});
