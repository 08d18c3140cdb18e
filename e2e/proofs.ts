import { SignJWT, base64url, calculateJwkThumbprint, decodeProtectedHeader, exportJWK, type JWK } from 'jose';
import { now } from './helpers';

/** DPoP proofs signed as a browser signs them (RFC 9449), and the changes the negative tests make to them. */

/** A DPoP key pair as a browser holds one: the private half signs, the public JWK travels in each proof's header. */
export interface ProofKey {
  privateKey: CryptoKey;
  jwk: JWK;
  /** Its RFC 7638 thumbprint: what a bound token's cnf.jkt and a bound session's dpop_jkt hold. */
  jkt: string;
}

/** What a proof is made with instead of the right values (for the negative tests); null leaves a claim out. */
export interface ProofChanges {
  /** Signs with (and names in the header) this key instead of the caller's own. */
  key?: ProofKey;
  htm?: string;
  htu?: string;
  /** Epoch seconds; now by default. */
  iat?: number;
  jti?: string;
  /** By default the last nonce the server sent, if any. */
  nonce?: string | null;
  /** By default the hash of the access token presented, on an API call. */
  ath?: string | null;
  /** Merged over the proof's JWS header. */
  header?: Record<string, unknown>;
}

/** A new P-256 key pair, its public half as a JWK with its thumbprint. */
export async function newProofKey(): Promise<ProofKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const { kty, crv, x, y } = await exportJWK(pair.publicKey);
  const jwk = { kty, crv, x, y };
  return { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

/** base64url(SHA-256(access token)): a proof's ath. */
export async function accessTokenHash(token: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));
}

/** The thumbprint of the key a proof names in its header, or null when it names none usable. */
export async function proofJkt(proof: string): Promise<string | null> {
  try {
    return await calculateJwkThumbprint(decodeProtectedHeader(proof).jwk!);
  } catch {
    return null;
  }
}

/** The right values of a proof: method, URL, the server's last nonce and the access token it goes with, if any. */
export interface ProofTarget {
  htm: string;
  htu: string;
  nonce?: string;
  accessToken?: string;
}

/** A DPoP proof by `key` for the target (with the ath of its access token when given), as changed. */
export async function signProof(key: ProofKey, target: ProofTarget, changes: ProofChanges = {}): Promise<string> {
  const signer = changes.key ?? key;
  const nonce = changes.nonce === undefined ? target.nonce : changes.nonce;
  const ath =
    changes.ath === undefined && target.accessToken !== undefined
      ? await accessTokenHash(target.accessToken)
      : changes.ath;
  const claims = {
    jti: changes.jti ?? crypto.randomUUID(),
    htm: changes.htm ?? target.htm,
    htu: changes.htu ?? target.htu,
    iat: changes.iat ?? now(),
    ...(nonce ? { nonce } : {}),
    ...(ath ? { ath } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: signer.jwk, ...changes.header })
    .sign(signer.privateKey);
}
