import { credentialsSchema, registerUser } from '@/lib/auth/accounts';
import { startSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { handle, methodNotAllowed } from '@/lib/http/respond';
import { tokenResponse } from '@/lib/http/session-response';

/** POST /api/auth/register {username, password} → 201 with tokens (as login); 400 naming the field; 409 if taken. */
export const POST = handle(async (request) => {
  assertSameOrigin(request);
  const credentials = await readJson(request, credentialsSchema);
  const user = await registerUser(credentials);
  return tokenResponse(await startSession(user, request.headers.get('user-agent')), 201);
});

export { methodNotAllowed as GET, methodNotAllowed as HEAD, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE };
