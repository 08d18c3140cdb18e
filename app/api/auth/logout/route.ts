import { endSessionOf } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { handle, methodNotAllowed, noContent } from '@/lib/http/respond';
import { clearRefreshCookie, refreshTokenOf } from '@/lib/http/session-response';

/** POST /api/auth/logout → 204: the session is revoked in the store and the cookie cleared. Idempotent. */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  const refreshToken = await refreshTokenOf(request);
  if (refreshToken) await endSessionOf(refreshToken);
  return clearRefreshCookie(noContent());
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
