import 'server-only';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { BoundedMap } from '@/lib/bounded-map';

/**
 * The one reader of the proofs browsers sign with a key of their own: DPoP proofs (`dpop+jwt`, lib/auth/dpop.ts) and
 * DBSC proofs (`dbsc+jwt`, lib/auth/dbsc.ts). Each check on its own, before any signature is verified: size, one
 * compact JWS, the header's typ, alg on an allow-list, and the public key the header carries (or must not carry).
 */

/** One JWS in compact serialisation: three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** JWK members that only a private or symmetric key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** A proof's public key: the JWK (its four members), imported, with its RFC 7638 thumbprint. */
export interface PublicProofKey {
  jwk: JWK;
  key: CryptoKey;
  jkt: string;
}

/** What a kind of proof must look like. */
export interface ProofRules<Jwk extends 'required' | 'forbidden'> {
  /** The header's typ, e.g. `dpop+jwt`. */
  typ: string;
  algs: readonly string[];
  /** Proofs longer than this are refused unparsed. */
  maxLength: number;
  /** Whether the header carries the signer's public key (`jwk`). */
  jwk: Jwk;
  /** Names the proof in messages, e.g. `DPoP proof`. */
  name: string;
  /** Throws this kind of proof's error. */
  refuse: (message: string) => never;
}

/** A proof whose header passed its rules; `key` is the header's public key when the rules require one. */
export interface ReadProof<Jwk extends 'required' | 'forbidden'> {
  proof: string;
  header: ProtectedHeaderParameters;
  key: Jwk extends 'required' ? PublicProofKey : null;
}

/** Imported public keys by their coordinates: the import and the thumbprint cost more than a verification. */
const importedKeys = new BoundedMap<string, PublicProofKey>(10_000);

/**
 * The public EC P-256 key a JWK describes, imported (once per key), or null when it is anything else: not an object,
 * another key type or curve, a private or symmetric key, or not a point on the curve.
 */
export async function importPublicKey(jwk: unknown): Promise<PublicProofKey | null> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return null;
  const candidate = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in candidate)) return null;
  const { kty, crv, x, y } = candidate;
  if (
    kty !== 'EC' ||
    crv !== 'P-256' ||
    typeof x !== 'string' ||
    typeof y !== 'string' ||
    x.length !== 43 ||
    y.length !== 43
  ) {
    return null;
  }
  const id = `${x}.${y}`;
  const known = importedKeys.get(id);
  if (known) return known;
  const publicJwk: JWK = { kty, crv, x, y };
  try {
    const imported = {
      jwk: publicJwk,
      key: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
      jkt: await calculateJwkThumbprint(publicJwk),
    };
    importedKeys.set(id, imported);
    return imported;
  } catch {
    return null;
  }
}

/** Checks a proof's form and header against its rules (see the module comment); throws through `rules.refuse`. */
export async function readProof<Jwk extends 'required' | 'forbidden'>(
  proof: string | null,
  rules: ProofRules<Jwk>,
): Promise<ReadProof<Jwk>> {
  const { name } = rules;
  // Declared with its type, so that TypeScript narrows after each refusal.
  const refuse: (message: string) => never = rules.refuse;
  if (proof === null || proof === '') refuse(`Send a ${name}.`);
  if (proof.length > rules.maxLength || !COMPACT_JWS.test(proof)) refuse(`The ${name} is not one compact JWS.`);
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    refuse(`The ${name}'s header is malformed.`);
  }
  if (header.typ !== rules.typ) refuse(`The ${name}'s typ must be ${rules.typ}.`);
  if (typeof header.alg !== 'string' || !rules.algs.includes(header.alg))
    refuse(`The ${name}'s alg must be one of ${rules.algs.join(', ')}.`);
  if (rules.jwk === 'forbidden') {
    if ('jwk' in header) refuse(`The ${name} must not carry a key: the key is the one registered before.`);
    return { proof, header, key: null as ReadProof<Jwk>['key'] };
  }
  const key = await importPublicKey(header.jwk);
  if (!key) refuse(`The ${name} must carry its public key (jwk): a public EC P-256 key, no private members.`);
  return { proof, header, key: key as ReadProof<Jwk>['key'] };
}

/** Verifies a read proof's signature with `key` (its typ and alg again, by jose) and returns its claims. */
export async function verifyProofSignature(
  proof: string,
  key: CryptoKey,
  rules: Pick<ProofRules<'required' | 'forbidden'>, 'typ' | 'algs' | 'name' | 'refuse'>,
  now: Date,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(proof, key, { typ: rules.typ, algorithms: [...rules.algs], currentDate: now });
    return payload;
  } catch {
    return rules.refuse(`The ${rules.name}'s signature does not verify.`);
  }
}
