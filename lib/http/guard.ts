import 'server-only';
import { AuthError } from '@/lib/auth/errors';
import { assertLive } from '@/lib/auth/sessions';
import { verifyAccessToken, type AccessTokenClaims } from '@/lib/auth/tokens';

/** The one guard of the Bearer-authenticated routes. */

/** The bearer token of a request; throws `missing_token` when there is none, `invalid_token` when it is malformed. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization')?.trim();
  if (!header || !/^bearer(\s|$)/i.test(header)) {
    throw new AuthError('missing_token', 'Send an access token: Authorization: Bearer <token>.');
  }
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match?.[1]) throw new AuthError('invalid_token', 'The Authorization header is not a bearer token.');
  return match[1];
}

/**
 * Verifies the request's access token and returns its claims. With `live`, the session behind it must also still be
 * live in the store (a revoked session's leftover token is refused at once, at the cost of one read); without, the
 * check is stateless and a revoked session's token works until its exp.
 */
export async function requireAccess(request: Request, { live = false }: { live?: boolean } = {}): Promise<AccessTokenClaims> {
  const claims = await verifyAccessToken(bearerToken(request));
  if (live) await assertLive(claims);
  return claims;
}
