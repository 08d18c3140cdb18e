import { refreshSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { handle, methodNotAllowed } from '@/lib/http/respond';
import { tokenResponse, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/refresh (refresh cookie only) → 200 with new tokens and a rotated cookie; 401 invalid_grant with a
 * reason (missing, invalid, expired, revoked, reused) and the cookie cleared.
 */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  return withRefreshSession(request, async (refreshToken) => tokenResponse(await refreshSession(refreshToken)));
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
