import { reauthOptions, reauthSession } from '@/lib/auth/reauth';
import { accessOrProof } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { boundCookieOf, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/reauth/options (as POST /api/auth/reauth: refresh cookie, proof) → 200 {password, passkey}: whether
 * the account has a password, and the options of an assertion by one of the user's passkeys (null when they have
 * none), its challenge bound to this session for five minutes.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    await readEmptyJson(request);
    const presented = { ...(await accessOrProof(request)), boundCookie: boundCookieOf(request) };
    return withRefreshSession(request, async (cookie) => {
      const session = await reauthSession({ cookie, ...presented });
      return json(await reauthOptions({ sub: session.user_id, sid: session.id }, relyingParty(request)));
    });
  },
});
