import { AuthError } from '@/lib/auth/errors';
import { loadSession, recordSecurityEvent, revokeSession } from '@/lib/auth/sessions';
import { countRefresh } from '@/lib/auth/throttle';
import { StoreUnavailableError } from '@/lib/db/errors';
import { proofKey } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { errorResponse, failure, noContent, route } from '@/lib/http/respond';
import { clearRefreshCookie, refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent; an expired
 * refresh token still ends its session. When the store is down the cookie is still cleared (this browser is signed
 * out) and the answer is 503: the revocation did not happen. A DPoP-bound session is revoked only with a proof by its
 * key: without one the cookie is cleared and the answer is 401 invalid_grant `wrong_key`, the session left running (a
 * copied cookie must not sign its owner out).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    let proofJkt: string | null | undefined;
    try {
      proofJkt = await proofKey(request);
    } catch (error) {
      // A refused proof leaves the cookie for the retry (a fresh proof, or one with the nonce sent); a store that cannot
      // be reached to record the proof still signs this browser out, as below.
      return error instanceof StoreUnavailableError ? clearRefreshCookie(errorResponse(error)) : errorResponse(error);
    }
    const cookie = await refreshCookieOf(request);
    const sessionId = cookie.status === 'valid' ? cookie.claims.sid : cookie.status === 'expired' ? cookie.sid : null;
    try {
      const session = sessionId ? await loadSession(sessionId) : undefined;
      if (session?.dpop_jkt && proofJkt !== undefined && proofJkt !== session.dpop_jkt) {
        // Counted like refreshes (429 past the limit), so a copied cookie cannot fill the event log.
        await countRefresh(session.id);
        await recordSecurityEvent('dpop_key_mismatch', { userId: session.user_id, sessionId: session.id }, { proof: proofJkt !== null, logout: true });
        return clearRefreshCookie(
          failure(new AuthError('invalid_grant', 'Only the browser that holds this session\'s key can end it.', { reason: 'wrong_key' })),
        );
      }
      if (session) await revokeSession(session.id, 'signed_out');
    } catch (error) {
      return clearRefreshCookie(errorResponse(error));
    }
    return clearRefreshCookie(noContent());
  },
});
