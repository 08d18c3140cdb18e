import { replayPreviousRefreshToken } from '@/lib/auth/demo';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { handle, onlyPost } from '@/lib/http/respond';
import { withRefreshSession } from '@/lib/http/session-response';

/**
 * Demo: replays this session's previous refresh token (cookie-authenticated, same checks as refresh). Reuse detection
 * answers 401 invalid_grant `reused` and clears the cookie; 409 while there is no previous token or it is in its grace.
 */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  return withRefreshSession(request, replayPreviousRefreshToken);
});

export { onlyPost as GET, onlyPost as HEAD, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE };
