import { assertSessionLive, listSessions, revokeAllSessions } from '@/lib/auth/devices';
import { verifyAccessToken } from '@/lib/auth/tokens';
import { bearerToken } from '@/lib/http/request';
import { handle, json, methodNotAllowed, noContent } from '@/lib/http/respond';

/** GET /api/auth/sessions (Bearer) → 200 {sessions: [...]}: the user's live sessions, the caller's marked current. */
export const GET = handle(async (request) => {
  const claims = await verifyAccessToken(bearerToken(request));
  await assertSessionLive(claims);
  return json({ sessions: await listSessions(claims) });
});

/**
 * DELETE /api/auth/sessions (Bearer) → 204: signs out everywhere, this session included.
 * DELETE /api/auth/sessions?except=current → 204: signs out every other session.
 */
export const DELETE = handle(async (request) => {
  const claims = await verifyAccessToken(bearerToken(request));
  await assertSessionLive(claims);
  await revokeAllSessions(claims, { keepCurrent: request.nextUrl.searchParams.get('except') === 'current' });
  return noContent();
});

const getOrDelete = methodNotAllowed('GET, DELETE');
export { getOrDelete as POST, getOrDelete as PUT, getOrDelete as PATCH };
