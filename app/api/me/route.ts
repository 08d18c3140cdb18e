import { findUser } from '@/lib/auth/accounts';
import { AuthError } from '@/lib/auth/errors';
import { renewalFor } from '@/lib/auth/renewal';
import { requireAccess } from '@/lib/http/guard';
import { boundCookieOf } from '@/lib/http/session-response';
import { json, route } from '@/lib/http/respond';
import { RENEWED_EXPIRES_HEADER, RENEWED_TOKEN_HEADER } from '@/lib/protocol';

/**
 * GET /api/me with Authorization: DPoP <access token> and its proof (Bearer with DPOP_MODE=off) → 200 {user, token:
 * {claims}}. The token is checked without reading its session: a revoked session's is refused by the guard's
 * in-memory set of revocations (lib/auth/revocations.ts).
 * Past half its lifetime the response also carries a renewed access token in X-Renewed-Access-Token (seconds left in
 * X-Renewed-Expires-In), granted only while the refresh session is live (and, for a DBSC-bound session, with its
 * valid bound cookie) and never outliving it (lib/auth/renewal.ts).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async (request) => {
    const claims = await requireAccess(request);
    const user = await findUser(claims.sub);
    if (!user) throw new AuthError('invalid_token', 'The access token belongs to no user.');
    const renewed = await renewalFor(claims, { boundCookie: boundCookieOf(request) });
    const headers: Record<string, string> = renewed
      ? {
          [RENEWED_TOKEN_HEADER]: renewed.token,
          [RENEWED_EXPIRES_HEADER]: String(Math.max(0, renewed.claims.exp - Math.floor(Date.now() / 1000))),
        }
      : {};
    return json({ user, token: { claims } }, { headers });
  },
});
