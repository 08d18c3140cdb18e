import { credentialsSchema, registerUser } from '@/lib/auth/accounts';
import { startSession } from '@/lib/auth/sessions';
import { requiredProofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { offerDeviceBinding, tokenResponse } from '@/lib/http/session-response';

/**
 * POST /api/auth/register {username, password} (with a DPoP proof, as login) → 201 with tokens (as login); 400 naming
 * the field, or invalid_dpop_proof / use_dpop_nonce; 409 if taken.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const credentials = await readJson(request, credentialsSchema);
    const jkt = await requiredProofThumbprint(request);
    const user = await registerUser(credentials);
    const issued = await startSession(user, { userAgent: request.headers.get('user-agent'), jkt });
    return offerDeviceBinding(await tokenResponse(issued, 201), issued);
  },
});
