import { AuthError } from '@/lib/auth/errors';
import { refreshSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readEmptyJson } from '@/lib/http/request';
import { authErrorResponse, handle, methodNotAllowed } from '@/lib/http/respond';
import { clearRefreshCookie, refreshTokenOf, tokenResponse } from '@/lib/http/session-response';

/**
 * POST /api/auth/refresh (refresh cookie only) → 200 with new tokens and a rotated cookie; 401 invalid_grant with a
 * reason (missing, invalid, expired, revoked, reused) and the cookie cleared.
 */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  await readEmptyJson(request);
  const refreshToken = await refreshTokenOf(request);
  try {
    if (!refreshToken) throw new AuthError('invalid_grant', 'No refresh session.', { reason: 'missing' });
    return await tokenResponse(await refreshSession(refreshToken));
  } catch (error) {
    if (error instanceof AuthError && error.code === 'invalid_grant') return clearRefreshCookie(authErrorResponse(error));
    throw error;
  }
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
