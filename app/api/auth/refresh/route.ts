import { refreshSession } from '@/lib/auth/rotation';
import { proofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { boundCookieOf, tokenResponse, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/refresh (refresh cookie, and a DPoP proof by the session's key unless DPOP_MODE=off) → 200 with new
 * tokens and a rotated cookie; 400 invalid_dpop_proof / use_dpop_nonce for a proof that is sent but refused (checked
 * before anything rotates, the cookie untouched); 401 invalid_grant with a reason (missing, invalid, expired, revoked,
 * reused, wrong_key, wrong_device) and the cookie cleared — wrong_key (no proof, or another key's) and wrong_device (a
 * DBSC-bound session without a valid bound cookie) leave the session itself intact; 429 past the session's refresh
 * limit.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    const presented = { proofJkt: await proofThumbprint(request), boundCookie: boundCookieOf(request) };
    return withRefreshSession(request, async (claims) => tokenResponse(await refreshSession(claims, presented)));
  },
});
