import { demoAccessTtl } from '@/app/demo/server';
import { boundCookieName } from '@/lib/auth/bound-cookie';
import { refreshSession } from '@/lib/auth/sessions';
import { getConfig } from '@/lib/config';
import { proofKey } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { tokenResponse, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/refresh (refresh cookie, and a DPoP proof by the session's key unless DPOP_MODE=off) → 200 with new
 * tokens and a rotated cookie; 400 invalid_dpop_proof / use_dpop_nonce for a proof that is sent but refused (checked
 * before anything rotates, the cookie untouched); 401 invalid_grant with a reason (missing, invalid, expired, revoked,
 * reused, wrong_key, wrong_device) and the cookie cleared — wrong_key (no proof, or another key's) and wrong_device (a
 * DBSC-bound session without a valid bound cookie) leave the session itself intact.
 * The live demo may shorten the access token it issues (demoAccessTtl: nothing unless DEMO_CONTROLS is on).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    const proofJkt = await proofKey(request);
    const boundCookie = getConfig().DBSC ? (request.cookies.get(boundCookieName())?.value ?? null) : undefined;
    return withRefreshSession(request, async (claims) =>
      tokenResponse(await refreshSession(claims, { accessTtl: demoAccessTtl(request), proofJkt, boundCookie })),
    );
  },
});
