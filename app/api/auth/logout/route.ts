import { signOut } from '@/lib/auth/sessions';
import { proofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { errorResponse, noContent, route } from '@/lib/http/respond';
import { clearRefreshCookie, refreshCookieOf, signOutFailure } from '@/lib/http/session-response';

/**
 * POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent; an expired
 * refresh token still ends its session. A proof that is sent but refused → 400 invalid_dpop_proof / use_dpop_nonce,
 * the cookie kept for the retry. With DPoP on the session is revoked only with a proof by its key: without one the
 * cookie is cleared and the answer is 401 invalid_grant `wrong_key`, the session left running (a copied cookie must not
 * sign its owner out; counted against the refresh limit, 429 past it). When the store is down the cookie is still
 * cleared (this browser is signed out) and the answer is 503: the revocation did not happen.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    try {
      await signOut(await refreshCookieOf(request), await proofThumbprint(request));
      return clearRefreshCookie(noContent());
    } catch (error) {
      return signOutFailure(errorResponse(error), error);
    }
  },
});
