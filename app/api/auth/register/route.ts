import { credentialsSchema, registerUser } from '@/lib/auth/accounts';
import { startSession } from '@/lib/auth/sessions';
import { assertSameOrigin, readJson } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { tokenResponse } from '@/lib/http/session-response';

/** POST /api/auth/register {username, password} → 201 with tokens (as login); 400 naming the field; 409 if taken. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const credentials = await readJson(request, credentialsSchema);
    const user = await registerUser(credentials);
    return tokenResponse(await startSession(user, request.headers.get('user-agent')), 201);
  },
});
