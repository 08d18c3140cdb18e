import { z } from 'zod';
import { signIn } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
import { clientIp } from '@/lib/http/client-ip';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { handle, methodNotAllowed } from '@/lib/http/respond';
import { tokenResponse } from '@/lib/http/session-response';

const loginSchema = z.object({
  username: z.string({ error: 'username must be a string' }).min(1, { error: 'username is required' }).max(64),
  password: z
    .string({ error: 'password must be a string' })
    .min(1, { error: 'password is required' })
    .max(PASSWORD_MAX_LENGTH, { error: `password must be at most ${PASSWORD_MAX_LENGTH} characters` }),
});

/**
 * POST /api/auth/login {username, password} → 200 with tokens; 401 invalid_credentials, alike for every failure;
 * 429 with Retry-After after repeated failures for the account or the client's address.
 */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const { username, password } = await readJson(request, loginSchema);
  const user = await signIn(username, password, clientIp(request));
  return tokenResponse(await startSession(user, request.headers.get('user-agent')));
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
