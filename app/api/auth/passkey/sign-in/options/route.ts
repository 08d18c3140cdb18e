import { signInOptions } from '@/lib/auth/passkey-ceremonies';
import { assertSameOrigin, readEmptyJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';

/** POST /api/auth/passkey/sign-in/options → 200 {options}: a usernameless assertion's options (challenge good for 5 minutes, once). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    return json({ options: await signInOptions(relyingParty(request)) });
  },
});
