import { addingOptions } from '@/lib/auth/passkey-ceremonies';
import { requireAccess } from '@/lib/http/guard';
import { readEmptyJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';

/**
 * POST /api/auth/passkeys/options (token with its proof, live session) → 200 {registration, reauth}: the options of
 * adding a passkey, and of re-authenticating with one of the user's passkeys (null when they have none); both
 * challenges bound to this session.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    const claims = await requireAccess(request, { live: true });
    await readEmptyJson(request);
    return json(await addingOptions(claims, relyingParty(request)));
  },
});
