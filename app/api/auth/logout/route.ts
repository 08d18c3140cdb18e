import { revokeSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { errorResponse, noContent, route } from '@/lib/http/respond';
import { clearRefreshCookie, refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent; an expired
 * refresh token still ends its session. When the store is down the cookie is still cleared (this browser is signed
 * out) and the answer is 503: the revocation did not happen.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    const cookie = await refreshCookieOf(request);
    const sessionId = cookie.status === 'valid' ? cookie.claims.sid : cookie.status === 'expired' ? cookie.sid : null;
    try {
      if (sessionId) await revokeSession(sessionId, 'signed_out');
    } catch (error) {
      return clearRefreshCookie(errorResponse(error));
    }
    return clearRefreshCookie(noContent());
  },
});
