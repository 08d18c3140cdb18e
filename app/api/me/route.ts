import { findUser } from '@/lib/auth/accounts';
import { boundCookieName } from '@/lib/auth/bound-cookie';
import { AuthError } from '@/lib/auth/errors';
import { renewAccessToken } from '@/lib/auth/sessions';
import { getConfig } from '@/lib/config';
import { requireAccess } from '@/lib/http/guard';
import { json, route } from '@/lib/http/respond';
import { RENEWED_EXPIRES_HEADER, RENEWED_TOKEN_HEADER } from '@/lib/protocol';

/**
 * GET /api/me with Authorization: DPoP <access token> and its proof (Bearer with DPOP_MODE=off) → 200 {user, token:
 * {claims}}. The token is checked statelessly.
 * Past half its lifetime the response also carries a renewed access token in X-Renewed-Access-Token (seconds left in
 * X-Renewed-Expires-In), granted only while the refresh session is live (and, for a device-bound session, with its
 * valid bound cookie) and never outliving it.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async (request) => {
    const claims = await requireAccess(request);
    const user = await findUser(claims.sub);
    if (!user) throw new AuthError('invalid_token', 'The access token belongs to no user.');
    const headers: Record<string, string> = {};
    const now = Math.floor(Date.now() / 1000);
    if (now - claims.iat >= (claims.exp - claims.iat) / 2) {
      const boundCookie = getConfig().DBSC ? (request.cookies.get(boundCookieName())?.value ?? null) : undefined;
      const renewed = await renewAccessToken(claims, { boundCookie });
      if (renewed) {
        headers[RENEWED_TOKEN_HEADER] = renewed.token;
        headers[RENEWED_EXPIRES_HEADER] = String(Math.max(0, renewed.claims.exp - now));
      }
    }
    return json({ user, token: { claims } }, { headers });
  },
});
