import { assertSessionLive, revokeUserSession } from '@/lib/auth/devices';
import { verifyAccessToken } from '@/lib/auth/tokens';
import { bearerToken } from '@/lib/http/request';
import { handle, methodNotAllowed, noContent } from '@/lib/http/respond';

/** DELETE /api/auth/sessions/{id} (Bearer) → 204: that session of the user is revoked; 404 when it is not theirs. */
export const DELETE = handle<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const claims = await verifyAccessToken(bearerToken(request));
  await assertSessionLive(claims);
  await revokeUserSession(claims, (await params).id);
  return noContent();
});

const onlyDelete = methodNotAllowed('DELETE');
export { onlyDelete as GET, onlyDelete as POST, onlyDelete as PUT, onlyDelete as PATCH };
