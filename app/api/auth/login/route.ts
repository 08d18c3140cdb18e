import { z } from 'zod';
import { signIn } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { textField } from '@/lib/fields';
import { rateLimitAddress } from '@/lib/http/client-ip';
import { requiredProofThumbprint } from '@/lib/http/guard';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { offerDeviceBinding, tokenResponse } from '@/lib/http/session-response';

const loginSchema = z.object({
  username: textField('username', { max: 64 }),
  password: textField('password', { max: PASSWORD_MAX_LENGTH }),
});

/**
 * POST /api/auth/login {username, password} (with a DPoP proof unless DPOP_MODE=off) → 200 with tokens bound to the
 * proof's key; 400 invalid_dpop_proof / use_dpop_nonce for a missing or refused proof (checked before the password, so
 * it costs no attempt); 401 invalid_credentials, alike for every failure; 429 with Retry-After after repeated failures
 * for the account or the client's address.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    // The body first: bad input is judged without the store (which the proof's jti is recorded in).
    const { username, password } = await readJson(request, loginSchema);
    const jkt = await requiredProofThumbprint(request);
    const user = await signIn(username, password, rateLimitAddress(request));
    const issued = await startSession(user, { userAgent: request.headers.get('user-agent'), jkt });
    return offerDeviceBinding(await tokenResponse(issued), issued);
  },
});
