import { assertDemoEnabled, replayPreviousRefreshToken } from '@/app/demo/server';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { withRefreshSession } from '@/lib/http/session-response';

/**
 * Demo: replays this session's previous refresh token (cookie-authenticated, same checks as refresh). Reuse detection
 * answers 401 invalid_grant `reused` and clears the cookie; 409 `no_previous_token` before any rotation, 409
 * `grace_window` (with Retry-After) while the predecessor is inside its grace window. 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDemoEnabled();
    assertSameOrigin(request);
    await readEmptyJson(request);
    return withRefreshSession(request, async (claims) => {
      const refusal = await replayPreviousRefreshToken(claims);
      const message =
        refusal.error === 'no_previous_token'
          ? 'This session has not rotated its refresh token yet: refresh once first.'
          : 'The previous refresh token is still inside its grace window.';
      const headers: Record<string, string> = refusal.error === 'grace_window' ? { 'Retry-After': String(refusal.retryAfter) } : {};
      return json({ ...refusal, message }, { status: 409, headers });
    });
  },
});
