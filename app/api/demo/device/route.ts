import { deviceView } from '@/app/demo/device';
import { assertDemoEnabled } from '@/app/demo/server';
import { requireAccess } from '@/lib/http/guard';
import { json, route } from '@/lib/http/respond';

/**
 * Demo: GET /api/demo/device (token, live session) → 200 DeviceView: whether the caller's session is bound to its
 * device (DBSC), when its bound cookie expires and renews next, and the browser's own DBSC requests as the server saw
 * them. 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async (request) => {
    assertDemoEnabled();
    const claims = await requireAccess(request, { live: true });
    return json(await deviceView(claims.sid));
  },
});
