import { z } from 'zod';
import { usernameField } from '@/lib/auth/accounts';
import { createPasskeyAccount } from '@/lib/auth/passkey-ceremonies';
import { startSession } from '@/lib/auth/sessions';
import { registrationResponseSchema } from '@/lib/auth/webauthn';
import { requiredProofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readJson, relyingParty } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { offerDeviceBinding, tokenResponse } from '@/lib/http/session-response';

const schema = z.object({ username: usernameField, credential: registrationResponseSchema });

/**
 * POST /api/auth/passkey/register {username, credential} (with a DPoP proof, as register) → 201 with tokens (as
 * login): an account with this passkey and no password; 400 invalid_request / invalid_dpop_proof / invalid_challenge /
 * invalid_passkey; 409 username_taken.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const { username, credential } = await readJson(request, schema);
    const jkt = await requiredProofThumbprint(request);
    const userAgent = request.headers.get('user-agent');
    const { user, amr } = await createPasskeyAccount(username, credential, relyingParty(request), userAgent);
    const issued = await startSession(user, { userAgent, jkt, amr });
    return offerDeviceBinding(await tokenResponse(issued, 201), issued);
  },
});
