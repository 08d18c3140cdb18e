import { replayPreviousRefreshToken, withOwnRefreshSession } from '@/app/demo/server';
import { refusal, route } from '@/lib/http/respond';

/**
 * Demo: replays this session's previous refresh token (same checks as refresh). Takes the session's access token (with
 * its proof) as well as its cookie, so that a copied cookie alone cannot end the session through it, which the refresh
 * endpoint never lets one do (wrong_key). Reuse detection answers 401 invalid_grant `reused` and clears the cookie; 409
 * `no_previous_token` before any rotation, 409 `grace_window` (with Retry-After) while the predecessor is inside its
 * grace window; 403 when the cookie and the token belong to different sessions. 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) =>
    withOwnRefreshSession(request, async (claims, presented) => {
      const outcome = await replayPreviousRefreshToken(claims, presented);
      const message =
        outcome.error === 'no_previous_token'
          ? 'This session has not rotated its refresh token yet: refresh once first.'
          : 'The previous refresh token is still inside its grace window.';
      const headers: Record<string, string> =
        outcome.error === 'grace_window' ? { 'Retry-After': String(outcome.retryAfter) } : {};
      return refusal(outcome.error, message, { status: 409, headers, detail: outcome });
    }),
});
