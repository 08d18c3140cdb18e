import 'server-only';
import { createHash } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { DPOP_ALGS } from '@/lib/protocol';
import { currentNonce, isFreshNonce } from './dpop-nonce';
import { AuthError } from './errors';
import { readProof, verifyProofSignature, type ProofRules } from './proof-jws';
import { markUsedInMemory, markUsedInStore } from './used-proofs';

/**
 * DPoP proofs (RFC 9449): the browser signs each request that uses a credential with a key it cannot export, and the
 * tokens name that key's thumbprint (`cnf.jkt`), so a copied token or refresh cookie is useless without the key.
 *
 * {@link verifyProof} checks one proof, each rule on its own: the JWS (lib/auth/proof-jws.ts: typ dpop+jwt, ES256
 * only, signed by the public EC key in its header, no private members), htm, htu (origin and path; query and fragment
 * ignored), iat within DPOP_IAT_WINDOW either way, ath on API calls, the server nonce when DPOP_NONCE is on
 * (lib/auth/dpop-nonce.ts), and the jti never seen before within the window (lib/auth/used-proofs.ts): in the store for
 * the token endpoints (every instance sees it), and per instance in memory for API calls unless DPOP_REPLAY=store.
 */

export const PROOF_TYP = 'dpop+jwt';

/** Whether tokens are bound to the browser's key (DPOP_MODE=required, the default) or Bearer tokens (off). */
export function dpopRequired(): boolean {
  return getConfig().DPOP_MODE === 'required';
}

/** The request a proof must name. */
export interface ProofTarget {
  method: string;
  /** The URL the app serves the request at: origin and path (a query or fragment is ignored). */
  url: string;
}

export interface ProofOptions {
  /** On an API call: the access token the proof must carry the hash of (ath). */
  accessToken?: string;
  /** The thumbprint the proof's key must have (a bound access token's cnf.jkt). */
  jkt?: string;
  now?: Date;
}

/** A proof that passed every check: its key's thumbprint and its jti. */
export interface VerifiedProof {
  jkt: string;
  jti: string;
}

/** The rules of a DPoP proof's form; `resource` says whether a refusal answers as an API call (401) or not (400). */
function rules(resource: boolean): ProofRules<'required'> {
  return {
    typ: PROOF_TYP,
    algs: DPOP_ALGS,
    // An ES256 proof with its key is about 600 characters.
    maxLength: 2048,
    jwk: 'required',
    name: 'DPoP proof',
    refuse: (message) => {
      throw new AuthError('invalid_dpop_proof', message, {}, { resource });
    },
  };
}

/**
 * base64url(SHA-256(access token)): the ath a proof presenting that token must carry. node:crypto's hash, not
 * WebCrypto's: on every API call, and WebCrypto's digest costs ~15× more in Node (a round trip through the thread pool).
 */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function sameUrl(htu: unknown, expected: string): boolean {
  if (typeof htu !== 'string' || htu.length > 2048) return false;
  try {
    const url = new URL(htu);
    const want = new URL(expected);
    return url.origin === want.origin && url.pathname === want.pathname;
  } catch {
    return false;
  }
}

/**
 * Verifies the DPoP proof sent with a request. Throws AuthError `invalid_dpop_proof`, or `use_dpop_nonce` (with a fresh
 * nonce) when nonces are required and the proof has none or a stale one. With `accessToken` the request is an API call
 * (failures answer 401 with a DPoP challenge); without, a token endpoint's (400), whose jti is judged in the store.
 */
export async function verifyProof(
  proof: string | null,
  target: ProofTarget,
  options: ProofOptions = {},
): Promise<VerifiedProof> {
  const config = getConfig();
  const resource = options.accessToken !== undefined;
  const now = options.now ?? new Date();
  const dpop = rules(resource);
  // Declared with its type, so that TypeScript narrows after each refusal.
  const refuse: (message: string) => never = dpop.refuse;
  if (proof === null) refuse('Send a DPoP proof in the DPoP header.');
  const { key } = await readProof(proof, dpop);
  if (options.jkt !== undefined && key.jkt !== options.jkt)
    refuse("The DPoP proof is signed by a key other than the token's.");

  const claims = await verifyProofSignature(proof, key.key, dpop, now);
  const { jti, htm, htu, iat } = claims;
  if (typeof jti !== 'string' || jti.length < 8 || jti.length > 128) refuse('The DPoP proof needs a jti.');
  if (htm !== target.method) refuse('The DPoP proof was made for another method (htm).');
  if (!sameUrl(htu, target.url)) refuse('The DPoP proof was made for another URL (htu).');
  const seconds = now.getTime() / 1000;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) refuse('The DPoP proof needs an iat.');
  if (Math.abs(seconds - iat) > config.DPOP_IAT_WINDOW) refuse('The DPoP proof is too old or from the future (iat).');
  if (options.accessToken !== undefined && claims.ath !== accessTokenHash(options.accessToken)) {
    refuse('The DPoP proof is not bound to this access token (ath).');
  }
  if (config.DPOP_NONCE && !(await isFreshNonce(claims.nonce, now))) {
    throw new AuthError(
      'use_dpop_nonce',
      'Retry with the nonce in the DPoP-Nonce header.',
      {},
      { resource, nonce: await currentNonce(now) },
    );
  }

  const use = { jkt: key.jkt, id: jti };
  const expiresAt = (iat + config.DPOP_IAT_WINDOW + 1) * 1000;
  const fresh =
    resource && config.DPOP_REPLAY === 'memory'
      ? markUsedInMemory(use, expiresAt, now.getTime())
      : await markUsedInStore(use, expiresAt, now.getTime());
  if (!fresh) refuse('The DPoP proof was used before (jti).');
  return { jkt: key.jkt, jti };
}
