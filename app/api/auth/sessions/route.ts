import { listSessions, revokeAllSessions } from '@/lib/auth/devices';
import { assertRecentSignIn } from '@/lib/auth/step-up';
import { requireAccess } from '@/lib/http/guard';
import { json, noContent, route } from '@/lib/http/respond';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  /** GET /api/auth/sessions (token with its proof, live session) → 200 {sessions: [...]}: the user's live sessions, the caller's marked current. */
  GET: async (request) => {
    const claims = await requireAccess(request, { live: true });
    return json({ sessions: await listSessions(claims) });
  },
  /**
   * DELETE /api/auth/sessions (token with its proof, live session, a recent sign-in) → 204: signs out everywhere, this
   * session included. DELETE /api/auth/sessions?except=current → 204: signs out every other session. 401
   * insufficient_user_authentication past STEP_UP_MAX_AGE (step-up).
   */
  DELETE: async (request) => {
    const claims = await requireAccess(request, { live: true });
    assertRecentSignIn(claims);
    await revokeAllSessions(claims, { keepCurrent: request.nextUrl.searchParams.get('except') === 'current' });
    return noContent();
  },
});
