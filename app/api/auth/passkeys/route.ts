import { z } from 'zod';
import { hasPassword } from '@/lib/auth/accounts';
import { addPasskey } from '@/lib/auth/passkey-ceremonies';
import { listPasskeys } from '@/lib/auth/passkeys';
import { reauthSchema } from '@/lib/auth/reauth';
import { registrationResponseSchema } from '@/lib/auth/webauthn';
import { textField } from '@/lib/fields';
import { requireAccess } from '@/lib/http/guard';
import { readJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import type { PasskeysBody } from '@/lib/protocol';

const addSchema = z.object({
  credential: registrationResponseSchema,
  name: textField('name', { max: 64 }).optional(),
  reauth: reauthSchema.optional(),
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  /** GET /api/auth/passkeys (token with its proof, live session) → 200 {passkeys: [...], hasPassword}. */
  GET: async (request) => {
    const claims = await requireAccess(request, { live: true });
    const body: PasskeysBody = { passkeys: await listPasskeys(claims.sub), hasPassword: await hasPassword(claims.sub) };
    return json(body);
  },
  /**
   * POST /api/auth/passkeys {credential, name?, reauth?: {password} | {passkey}} (token with its proof, live session)
   * → 201 {passkey}; without `reauth`, the sign-in must be recent (401 insufficient_user_authentication past
   * STEP_UP_MAX_AGE); 401 invalid_credentials for a failed re-authentication (throttled: 429), 400 invalid_challenge /
   * invalid_passkey / invalid_request.
   */
  POST: async (request) => {
    const claims = await requireAccess(request, { live: true });
    const body = await readJson(request, addSchema);
    const passkey = await addPasskey(claims, body, relyingParty(request), request.headers.get('user-agent'));
    return json({ passkey }, { status: 201 });
  },
});
