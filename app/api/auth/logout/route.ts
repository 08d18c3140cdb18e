import { endSessionOf } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { errorResponse, handle, noContent, onlyPost } from '@/lib/http/respond';
import { clearRefreshCookie, refreshTokenOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent. When the store
 * is down the cookie is still cleared (this browser is signed out) and the answer is 503: the revocation did not happen.
 */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  const refreshToken = await refreshTokenOf(request);
  try {
    if (refreshToken) await endSessionOf(refreshToken);
  } catch (error) {
    return clearRefreshCookie(errorResponse(error));
  }
  return clearRefreshCookie(noContent());
});

export { onlyPost as GET, onlyPost as HEAD, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE, onlyPost as OPTIONS };
