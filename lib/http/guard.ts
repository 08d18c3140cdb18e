import 'server-only';
import type { NextRequest } from 'next/server';
import { dpopRequired, verifyProof } from '@/lib/auth/dpop';
import { AuthError } from '@/lib/auth/errors';
import { revocations } from '@/lib/auth/revocations';
import { assertLive } from '@/lib/auth/sessions';
import { verifyAccessToken, type AccessTokenClaims } from '@/lib/auth/tokens';
import { DPOP_HEADER } from '@/lib/protocol';
import { requestUrl } from './request';

/** The one guard of the token-authenticated API routes, and the DPoP proof reader of the token endpoints. */

const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The access token of a request, from `Authorization: DPoP <token>` (DPoP on) or `Bearer <token>` (off). Throws
 * `missing_token` when there is none (or another scheme), `invalid_token` when it is malformed, and, with DPoP on,
 * `invalid_token` for a Bearer token.
 */
export function presentedToken(request: Request): string {
  const dpop = dpopRequired();
  const expected = dpop ? 'DPoP' : 'Bearer';
  const header = request.headers.get('authorization')?.trim() ?? '';
  const [scheme = '', ...rest] = header.split(/ +/);
  if (dpop && scheme.toLowerCase() === 'bearer') {
    throw new AuthError(
      'invalid_token',
      'Bearer tokens are not accepted: send Authorization: DPoP <token> with a DPoP proof.',
    );
  }
  if (scheme.toLowerCase() !== expected.toLowerCase()) {
    throw new AuthError('missing_token', `Send an access token: Authorization: ${expected} <token>.`);
  }
  const token = rest.join(' ');
  if (rest.length !== 1 || !TOKEN.test(token))
    throw new AuthError('invalid_token', `The Authorization header is not a ${expected} token.`);
  return token;
}

/**
 * Verifies the request's access token (and, with DPoP on, the proof that the caller holds the key it is bound to) and
 * returns its claims. A token of a revoked session is refused (`invalid_token`) on every instance within
 * REVOCATION_POLL_MS, on this one at once, without a store read per request (lib/auth/revocations.ts; 503 when the
 * revocations cannot be read for longer than that allows). With `live`, for the routes that act on the account, the
 * session's row is read too: it must be live in the store at this very moment (not revoked — no poll interval to wait
 * out — nor idle or past its maximum age). A DPoP-bound token is never accepted as a Bearer token, whatever the mode.
 */
export async function requireAccess(
  request: NextRequest,
  { live = false }: { live?: boolean } = {},
): Promise<AccessTokenClaims> {
  const token = presentedToken(request);
  const claims = await verifyAccessToken(token);
  await revocations().assertNotRevoked(claims.sid);
  if (dpopRequired()) {
    if (!claims.cnf) throw new AuthError('invalid_token', 'The access token is not bound to a DPoP key.');
    await verifyProof(
      request.headers.get(DPOP_HEADER),
      { method: request.method, url: requestUrl(request) },
      {
        accessToken: token,
        jkt: claims.cnf.jkt,
      },
    );
  } else if (claims.cnf) {
    throw new AuthError(
      'invalid_token',
      'The access token is bound to a DPoP key and cannot be used as a Bearer token.',
    );
  }
  if (live) await assertLive(claims);
  return claims;
}

/**
 * For the token endpoints (sign-in, register, refresh, sign-out): the thumbprint of the key that signed the request's
 * proof, or null when no proof was sent or DPoP is off. A proof that is sent must be valid (400 invalid_dpop_proof or
 * use_dpop_nonce, before anything is issued or rotated). Sign-in and register then require one
 * ({@link requiredProofThumbprint}); refresh and sign-out judge a missing one against the session (lib/auth/binding.ts).
 */
export async function proofThumbprint(request: NextRequest): Promise<string | null> {
  if (!dpopRequired()) return null;
  const proof = request.headers.get(DPOP_HEADER);
  if (proof === null) return null;
  return (await verifyProof(proof, { method: request.method, url: requestUrl(request) })).jkt;
}

/**
 * For the re-authentication endpoints, which take the refresh cookie and may take the session's access token too: the
 * token's claims (verified with its proof, as {@link requireAccess}) when an Authorization header is sent, and the
 * proof's key thumbprint either way (null when DPoP is off or no proof was sent).
 */
export async function accessOrProof(
  request: NextRequest,
): Promise<{ access: AccessTokenClaims | null; proofJkt: string | null }> {
  if (!request.headers.has('authorization')) return { access: null, proofJkt: await proofThumbprint(request) };
  const access = await requireAccess(request);
  return { access, proofJkt: access.cnf?.jkt ?? null };
}

/** {@link proofThumbprint} for sign-in and register: with DPoP on, a valid proof is required (a token is never issued unbound). */
export async function requiredProofThumbprint(request: NextRequest): Promise<string | null> {
  const jkt = await proofThumbprint(request);
  if (jkt === null && dpopRequired())
    throw new AuthError('invalid_dpop_proof', 'Send a DPoP proof in the DPoP header.');
  return jkt;
}
