import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/** DPoP proofs for the unit tests: a browser-like key pair, and proofs with any header or claim changed. */

export interface ProofKey {
  pair: CryptoKeyPair;
  jwk: JWK;
  jkt: string;
}

export async function newProofKey(): Promise<ProofKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const { kty, crv, x, y } = await exportJWK(pair.publicKey);
  const jwk = { kty, crv, x, y };
  return { pair, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

export const ath = async (token: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))).toString('base64url');

export interface ProofChanges {
  method?: string;
  url?: string;
  /** Seconds to add to now for iat. */
  age?: number;
  accessToken?: string;
  nonce?: string;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Sign with this key instead of the one in the header. */
  signWith?: CryptoKey | Uint8Array;
}

/** A proof by `key` for `method url` (GET http://localhost:3000/api/me by default), with the given changes. */
export async function makeProof(key: ProofKey, changes: ProofChanges = {}): Promise<string> {
  const claims = {
    jti: crypto.randomUUID(),
    htm: changes.method ?? 'GET',
    htu: changes.url ?? 'http://localhost:3000/api/me',
    iat: Math.floor(Date.now() / 1000) + (changes.age ?? 0),
    ...(changes.accessToken ? { ath: await ath(changes.accessToken) } : {}),
    ...(changes.nonce ? { nonce: changes.nonce } : {}),
    ...changes.claims,
  };
  const header = { alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk, ...changes.header };
  return new SignJWT(claims)
    .setProtectedHeader(header as { alg: string })
    .sign(changes.signWith ?? key.pair.privateKey);
}
