import { z } from 'zod';
import { deletePasskey } from '@/lib/auth/passkey-ceremonies';
import { renamePasskey } from '@/lib/auth/passkeys';
import { reauthSchema } from '@/lib/auth/reauth';
import { textField } from '@/lib/fields';
import { requireAccess } from '@/lib/http/guard';
import { readJson, relyingParty } from '@/lib/http/request';
import { noContent, route } from '@/lib/http/respond';

const renameSchema = z.object({ name: textField('name', { max: 64 }) });
const deleteSchema = z.object({ reauth: reauthSchema.optional() });

type Context = { params: Promise<{ id: string }> };

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route<Context>({
  /** PATCH /api/auth/passkeys/{id} {name} (token with its proof, live session) → 204; 404 when not the caller's. */
  PATCH: async (request, { params }) => {
    const claims = await requireAccess(request, { live: true });
    const { name } = await readJson(request, renameSchema);
    await renamePasskey(claims.sub, (await params).id, name);
    return noContent();
  },
  /**
   * DELETE /api/auth/passkeys/{id} {reauth?: {password} | {passkey}} (token with its proof, live session) → 204;
   * without `reauth`, the sign-in must be recent (401 insufficient_user_authentication past STEP_UP_MAX_AGE); 401
   * invalid_credentials for a failed re-authentication, 404 when not the caller's, 409 last_passkey for the last
   * passkey of an account without a password.
   */
  DELETE: async (request, { params }) => {
    const claims = await requireAccess(request, { live: true });
    const { reauth } = await readJson(request, deleteSchema);
    await deletePasskey(claims, (await params).id, reauth, relyingParty(request));
    return noContent();
  },
});
