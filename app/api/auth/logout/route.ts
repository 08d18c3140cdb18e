import { endSessionOf } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { handle, onlyPost, noContent } from '@/lib/http/respond';
import { clearRefreshCookie, refreshTokenOf } from '@/lib/http/session-response';

/** POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent. */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  const refreshToken = await refreshTokenOf(request);
  if (refreshToken) await endSessionOf(refreshToken);
  return clearRefreshCookie(noContent());
});

export { onlyPost as GET, onlyPost as HEAD, onlyPost as PUT, onlyPost as PATCH, onlyPost as DELETE, onlyPost as OPTIONS };
