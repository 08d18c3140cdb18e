import { z } from 'zod';
import { authenticate } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import { startSession } from '@/lib/auth/sessions';
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

/** POST /api/auth/login {username, password} → 200 with tokens; 401 invalid_credentials, alike for every failure. */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const { username, password } = await readJson(request, loginSchema);
  const user = await authenticate(username, password);
  return tokenResponse(await startSession(user, request.headers.get('user-agent')));
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
