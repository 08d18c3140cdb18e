import { revokeUserSession } from '@/lib/auth/devices';
import { requireAccess } from '@/lib/http/guard';
import { noContent, route } from '@/lib/http/respond';

/** DELETE /api/auth/sessions/{id} (token with its proof, live session) → 204: that session of the user is revoked; 404 when it is not theirs. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<{ params: Promise<{ id: string }> }>({
  DELETE: async (request, { params }) => {
    const claims = await requireAccess(request, { live: true });
    await revokeUserSession(claims, (await params).id);
    return noContent();
  },
});
