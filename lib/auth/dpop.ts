import { createHash } from 'node:crypto';
import { base64url, calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { BoundedMap } from '@/lib/bounded-map';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { DPOP_ALGS } from '@/lib/protocol';
import { AuthError } from './errors';
import { getNonceKey } from './keys';

/**
 * DPoP proofs (RFC 9449): the browser signs each request that uses a credential with a key it cannot export, and the
 * tokens name that key's thumbprint (`cnf.jkt`), so a copied token or refresh cookie is useless without the key.
 *
 * {@link verifyProof} checks one proof, each rule on its own: the JWS (typ dpop+jwt, ES256 only, signed by the public
 * EC key in its header, no private members), htm, htu (origin and path; query and fragment ignored), iat within
 * DPOP_IAT_WINDOW either way, ath on API calls, the server nonce when DPOP_NONCE is on, and the jti never seen before
 * within the window: in the store for the token endpoints (every instance sees it), and per instance in memory for API
 * calls unless DPOP_REPLAY=store.
 */

export const PROOF_TYP = 'dpop+jwt';

/** Proofs longer than this are refused unparsed (an ES256 proof with its key is about 600 characters). */
const MAX_PROOF_LENGTH = 2048;
/** One JWS in compact serialisation: three base64url parts. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** JWK members that only a private or symmetric key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

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

const encoder = new TextEncoder();

function refuse(message: string, resource: boolean): never {
  throw new AuthError('invalid_dpop_proof', message, {}, { resource });
}

/** A proof key: the public JWK (its four members), imported, with its RFC 7638 thumbprint. */
export interface ProofKey {
  jwk: JWK;
  key: CryptoKey;
  jkt: string;
}

/** Imported public keys by their coordinates: the import and the thumbprint cost more than a verification. */
const importedKeys = new BoundedMap<string, ProofKey>(10_000);

/**
 * The public EC P-256 key a JWK describes, imported (once per key), or null when it is anything else: not an object,
 * another key type or curve, a private or symmetric key, or not a point on the curve. DPoP proofs and DBSC proofs both
 * carry their key this way.
 */
export async function importPublicKey(jwk: unknown): Promise<ProofKey | null> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return null;
  const candidate = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in candidate)) return null;
  const { kty, crv, x, y } = candidate;
  if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string' || x.length !== 43 || y.length !== 43) {
    return null;
  }
  const id = `${x}.${y}`;
  const known = importedKeys.get(id);
  if (known) return known;
  const publicJwk: JWK = { kty, crv, x, y };
  try {
    const imported = { jwk: publicJwk, key: (await importJWK(publicJwk, 'ES256')) as CryptoKey, jkt: await calculateJwkThumbprint(publicJwk) };
    importedKeys.set(id, imported);
    return imported;
  } catch {
    return null;
  }
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

// ---------------------------------------------------------------------------------------------------------------
// Nonces (RFC 9449 §8–9): stateless, so every instance accepts every other's. A nonce names a time window and carries
// an HMAC of it; the current and the previous window's nonces are accepted.

const NONCE_WINDOW_SECONDS = 300;

/** The nonces of the last windows asked about, by window: each is the same for the whole window. */
const nonces = new Map<number, Promise<string>>();

function nonceFor(window: number): Promise<string> {
  let nonce = nonces.get(window);
  if (!nonce) {
    nonce = (async () => {
      const mac = await crypto.subtle.sign('HMAC', await getNonceKey(), encoder.encode(`dpop-nonce:${window}`));
      return `${window.toString(36)}.${base64url.encode(new Uint8Array(mac).slice(0, 16))}`;
    })();
    if (nonces.size >= 4) nonces.delete(nonces.keys().next().value as number);
    nonces.set(window, nonce);
    nonce.catch(() => nonces.delete(window));
  }
  return nonce;
}

/** The nonce proofs should carry now. */
export function currentNonce(now = new Date()): Promise<string> {
  return nonceFor(Math.floor(now.getTime() / 1000 / NONCE_WINDOW_SECONDS));
}

async function isFreshNonce(nonce: unknown, now: Date): Promise<boolean> {
  if (typeof nonce !== 'string' || nonce.length > 64) return false;
  const window = Number.parseInt(nonce.split('.')[0] ?? '', 36);
  const current = Math.floor(now.getTime() / 1000 / NONCE_WINDOW_SECONDS);
  if (window !== current && window !== current - 1) return false;
  return nonce === (await nonceFor(window));
}

// ---------------------------------------------------------------------------------------------------------------
// Replay: a jti is remembered until the proof's iat leaves the window.

/**
 * This instance's memory of API-call proofs. When full it forgets the oldest entries and raises a floor: from then on a
 * proof that would expire no later than a forgotten one is refused as too old, so forgetting never lets a replay in.
 */
class SeenProofs {
  readonly #expiries = new Map<string, number>();
  #floor = 0;

  constructor(readonly limit: number) {}

  /** Records a proof; false when it was seen before (or may have been, being older than what was forgotten). */
  add(id: string, expiresAt: number, now: number): boolean {
    if (expiresAt <= this.#floor || this.#expiries.has(id)) return false;
    if (this.#expiries.size >= this.limit) {
      for (const [seen, expiry] of this.#expiries) {
        if (this.#expiries.size < this.limit && expiry > now) break;
        this.#expiries.delete(seen);
        if (expiry > now) this.#floor = Math.max(this.#floor, expiry);
      }
    }
    this.#expiries.set(id, expiresAt);
    return true;
  }
}

const seenInMemory = new SeenProofs(100_000);

let lastSweep = 0;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Records a proof's jti in the store: an atomic insert, refused (false) when (jkt, jti) is already there. Shared with
 * DBSC (lib/auth/dbsc.ts), whose proofs' jti is a one-time challenge.
 */
export async function addToStore(proof: VerifiedProof, expiresAt: number, now: number): Promise<boolean> {
  const db = await getDb();
  if (now - lastSweep > SWEEP_INTERVAL_MS) {
    lastSweep = now;
    await db.deleteFrom('dpop_proofs').where('expires_at', '<', now).execute();
  }
  const result = await db
    .insertInto('dpop_proofs')
    .values({ jkt: proof.jkt, jti: proof.jti, expires_at: expiresAt })
    .onConflict((conflict) => conflict.columns(['jkt', 'jti']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Verifies the DPoP proof sent with a request. Throws AuthError `invalid_dpop_proof`, or `use_dpop_nonce` (with a fresh
 * nonce) when nonces are required and the proof has none or a stale one. With `accessToken` the request is an API call
 * (failures answer 401 with a DPoP challenge); without, a token endpoint's (400), whose jti is judged in the store.
 */
export async function verifyProof(proof: string | null, target: ProofTarget, options: ProofOptions = {}): Promise<VerifiedProof> {
  const config = getConfig();
  const resource = options.accessToken !== undefined;
  const now = options.now ?? new Date();
  if (proof === null) refuse('Send a DPoP proof in the DPoP header.', resource);
  if (proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) refuse('The DPoP proof is not one compact JWS.', resource);

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    refuse('The DPoP proof\'s header is malformed.', resource);
  }
  if (header.typ !== PROOF_TYP) refuse(`The DPoP proof's typ must be ${PROOF_TYP}.`, resource);
  if (!(DPOP_ALGS as readonly unknown[]).includes(header.alg)) refuse(`The DPoP proof's alg must be one of ${DPOP_ALGS.join(', ')}.`, resource);
  const publicKey = await importPublicKey(header.jwk);
  if (!publicKey) refuse('The proof must carry its public key (jwk): a public EC P-256 key, no private members.', resource);
  const { key, jkt } = publicKey;
  if (options.jkt !== undefined && jkt !== options.jkt) refuse('The DPoP proof is signed by a key other than the token\'s.', resource);

  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(proof, key, { typ: PROOF_TYP, algorithms: [...DPOP_ALGS], currentDate: now }));
  } catch {
    refuse('The DPoP proof\'s signature does not verify.', resource);
  }
  const { jti, htm, htu, iat } = claims;
  if (typeof jti !== 'string' || jti.length < 8 || jti.length > 128) refuse('The DPoP proof needs a jti.', resource);
  if (htm !== target.method) refuse('The DPoP proof was made for another method (htm).', resource);
  if (!sameUrl(htu, target.url)) refuse('The DPoP proof was made for another URL (htu).', resource);
  const seconds = now.getTime() / 1000;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) refuse('The DPoP proof needs an iat.', resource);
  if (Math.abs(seconds - iat) > config.DPOP_IAT_WINDOW) refuse('The DPoP proof is too old or from the future (iat).', resource);
  if (options.accessToken !== undefined && claims.ath !== accessTokenHash(options.accessToken)) {
    refuse('The DPoP proof is not bound to this access token (ath).', resource);
  }
  if (config.DPOP_NONCE && !(await isFreshNonce(claims.nonce, now))) {
    throw new AuthError('use_dpop_nonce', 'Retry with the nonce in the DPoP-Nonce header.', {}, { resource, nonce: await currentNonce(now) });
  }

  const verified = { jkt, jti };
  const expiresAt = (iat + config.DPOP_IAT_WINDOW + 1) * 1000;
  const fresh =
    resource && config.DPOP_REPLAY === 'memory'
      ? seenInMemory.add(`${jkt}.${jti}`, expiresAt, now.getTime())
      : await addToStore(verified, expiresAt, now.getTime());
  if (!fresh) refuse('The DPoP proof was used before (jti).', resource);
  return verified;
}
