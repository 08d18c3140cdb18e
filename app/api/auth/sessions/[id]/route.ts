import { revokeUserSession } from '@/lib/auth/devices';
import { assertRecentSignIn } from '@/lib/auth/step-up';
import { requireAccess } from '@/lib/http/guard';
import { noContent, route } from '@/lib/http/respond';

/**
 * DELETE /api/auth/sessions/{id} (token with its proof, live session) → 204: that session of the user is revoked; 404
 * when it is not theirs. Revoking another session than the caller's needs a recent sign-in (401
 * insufficient_user_authentication past STEP_UP_MAX_AGE); signing out the caller's own needs none.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<{ params: Promise<{ id: string }> }>({
  DELETE: async (request, { params }) => {
    const claims = await requireAccess(request, { live: true });
    const { id } = await params;
    if (id !== claims.sid) assertRecentSignIn(claims);
    await revokeUserSession(claims, id);
    return noContent();
  },
});
