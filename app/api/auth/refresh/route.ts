import { demoAccessTtl } from '@/app/demo/server';
import { refreshSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { tokenResponse, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/refresh (refresh cookie only) → 200 with new tokens and a rotated cookie; 401 invalid_grant with a
 * reason (missing, invalid, expired, revoked, reused) and the cookie cleared. The live demo may shorten the access
 * token it issues (demoAccessTtl: nothing unless DEMO_CONTROLS is on).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    return withRefreshSession(request, async (claims) =>
      tokenResponse(await refreshSession(claims, { accessTtl: demoAccessTtl(request) })),
    );
  },
});
