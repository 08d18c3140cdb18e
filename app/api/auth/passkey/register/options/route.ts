import { z } from 'zod';
import { usernameField } from '@/lib/auth/accounts';
import { accountOptions } from '@/lib/auth/passkey-ceremonies';
import { assertSameOrigin, readJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';

const schema = z.object({ username: usernameField });

/** POST /api/auth/passkey/register/options {username} → 200 {options} for a passkey-only account; 400 naming the field, 409 username_taken. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const { username } = await readJson(request, schema);
    return json({ options: await accountOptions(username, relyingParty(request)) });
  },
});
