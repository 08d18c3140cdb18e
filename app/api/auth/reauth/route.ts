import { reauthenticate, reauthSchema } from '@/lib/auth/reauth';
import { rateLimitAddress } from '@/lib/http/client-ip';
import { accessOrProof } from '@/lib/http/guard';
import { assertSameOrigin, readJson, relyingParty } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { boundCookieOf, tokenBody, withRefreshSession } from '@/lib/http/session-response';

/**
 * POST /api/auth/reauth {password} | {credential: <assertion>} (refresh cookie, a DPoP proof by the session's key, and
 * optionally the session's own access token) → 200 with the login body: a new access token with a fresh auth_time for
 * the same session (same sid, key and refresh cookie; nothing rotates). 401 invalid_credentials for a wrong password or
 * a refused passkey (counted: 429 with Retry-After past the limit), 400 invalid_challenge / invalid_request /
 * invalid_dpop_proof / use_dpop_nonce, 401 invalid_token for an access token of another session, 401 invalid_grant
 * (with its reason, the cookie cleared) when the cookie is missing or its session over or not this browser's, 403
 * cross-site.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertSameOrigin(request);
    const proof = await readJson(request, reauthSchema);
    const presented = { ...(await accessOrProof(request)), boundCookie: boundCookieOf(request) };
    return withRefreshSession(request, async (cookie) => {
      const issued = await reauthenticate(
        { cookie, ...presented },
        proof,
        relyingParty(request),
        rateLimitAddress(request),
      );
      return json(tokenBody(issued));
    });
  },
});
