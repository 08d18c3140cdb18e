import { z } from 'zod';
import { signIn } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { textField } from '@/lib/fields';
import { rateLimitAddress } from '@/lib/http/client-ip';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { tokenResponse } from '@/lib/http/session-response';

const loginSchema = z.object({
  username: textField('username', { max: 64 }),
  password: textField('password', { max: PASSWORD_MAX_LENGTH }),
});

/**
 * POST /api/auth/login {username, password} → 200 with tokens; 401 invalid_credentials, alike for every failure;
 * 429 with Retry-After after repeated failures for the account or the client's address.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const { username, password } = await readJson(request, loginSchema);
    const user = await signIn(username, password, rateLimitAddress(request));
    return tokenResponse(await startSession(user, request.headers.get('user-agent')));
  },
});
