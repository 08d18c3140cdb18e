import { z } from 'zod';
import { signInWithPasskey } from '@/lib/auth/passkey-ceremonies';
import { startSession } from '@/lib/auth/sessions';
import { authenticationResponseSchema } from '@/lib/auth/webauthn';
import { rateLimitAddress } from '@/lib/http/client-ip';
import { requiredProofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readJson, relyingParty } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { offerDeviceBinding, tokenResponse } from '@/lib/http/session-response';

const schema = z.object({ credential: authenticationResponseSchema });

/**
 * POST /api/auth/passkey/sign-in {credential: <assertion>} (with a DPoP proof, as login) → 200 with tokens bound to the
 * proof's key, amr of a passkey; 400 invalid_request / invalid_dpop_proof / invalid_challenge; 401
 * invalid_credentials, alike for every refused assertion; 429 as login.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const { credential } = await readJson(request, schema);
    const jkt = await requiredProofThumbprint(request);
    const { user, amr } = await signInWithPasskey(credential, relyingParty(request), rateLimitAddress(request));
    const issued = await startSession(user, { userAgent: request.headers.get('user-agent'), jkt, amr });
    return offerDeviceBinding(await tokenResponse(issued), issued);
  },
});
