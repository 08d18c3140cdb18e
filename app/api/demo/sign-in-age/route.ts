import { ageSignIn, assertDemoEnabled } from '@/app/demo/server';
import { requireAccess } from '@/lib/http/guard';
import { readEmptyJson } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { tokenBody } from '@/lib/http/session-response';

/**
 * Demo: POST with the access token (and its proof) → a new access token whose auth_time is just past STEP_UP_MAX_AGE,
 * the session's from then on: the next sensitive change answers 401 insufficient_user_authentication. 404 unless
 * DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDemoEnabled();
    const claims = await requireAccess(request, { live: true });
    await readEmptyJson(request);
    return json(tokenBody(await ageSignIn(claims)));
  },
});
