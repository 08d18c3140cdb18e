// Shared with the edge runtime (the middleware unseals the refresh cookie and checks the bound cookie): Web Crypto only.
import { base64url, importJWK, type JWK } from 'jose';
import { ConfigError, getConfig } from '@/lib/config';

/**
 * Key material, derived or imported once per process (or edge isolate) and reused: jose re-imports raw bytes on every
 * call, which costs more than the verification itself.
 *
 * - Refresh tokens are always HS256 with a key derived from AUTH_SECRET: only this server ever reads them.
 * - The refresh cookie is sealed by iron-session with a raw 32-byte key derived from AUTH_SECRET with another label
 *   (a raw key skips iron's two PBKDF2 derivations per seal and per unseal).
 * - Access tokens are ES256 with keys from JWT_PRIVATE_KEYS (first signs, all verify; public halves on the JWKS
 *   endpoint), or HS256 with a derived key when JWT_ALG=HS256.
 */

const encoder = new TextEncoder();

async function deriveBytes(secret: string, label: string): Promise<ArrayBuffer> {
  const base = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits']);
  return crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('jwt-session-reference/v1'), info: encoder.encode(label) },
    base,
    256,
  );
}

async function hmacKey(label: string): Promise<CryptoKey> {
  const bytes = await deriveBytes(getConfig().AUTH_SECRET, label);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= make().catch((error: unknown) => {
      promise = undefined;
      throw error;
    });
    return promise;
  };
}

/** The HS256 key that signs and verifies refresh tokens. */
export const getRefreshKey = once(() => hmacKey('refresh-token'));

/** The kinds of signed value (lib/auth/signed-value.ts); each has its own HMAC key. */
export type SignedValueLabel = 'dpop-nonce' | 'dbsc-challenge' | 'dbsc-bound-cookie';

const signedValueKeys = {
  'dpop-nonce': once(() => hmacKey('dpop-nonce')),
  'dbsc-challenge': once(() => hmacKey('dbsc-challenge')),
  'dbsc-bound-cookie': once(() => hmacKey('dbsc-bound-cookie')),
} satisfies Record<SignedValueLabel, () => Promise<CryptoKey>>;

/** The HMAC key of one kind of signed value: DPoP nonces, DBSC challenges, DBSC bound cookies. */
export const getSignedValueKey = (label: SignedValueLabel): Promise<CryptoKey> => signedValueKeys[label]();

/**
 * The refresh cookie's iron-session passwords by id; iron-session seals with the highest id and unseals by the id the
 * seal names. Id 2 is a raw key (iron-webcrypto, beneath iron-session, takes a Uint8Array as a key and derives nothing;
 * iron-session's types only say string). Id 1 is the string password cookies were sealed with before: still read, so
 * that nobody is signed out by the change, and re-sealed with id 2 at the next rotation. It can be dropped once every
 * id-1 cookie has expired (REFRESH_TOKEN_TTL after the change). To rotate the key, add id 3 with a new label.
 */
export const getCookiePasswords = once(async () => {
  const secret = getConfig().AUTH_SECRET;
  const [legacy, raw] = await Promise.all([
    deriveBytes(secret, 'refresh-cookie'),
    deriveBytes(secret, 'refresh-cookie-key/2'),
  ]);
  return { 1: base64url.encode(new Uint8Array(legacy)), 2: new Uint8Array(raw) as unknown as string };
});

export interface SigningKey {
  alg: 'ES256' | 'HS256';
  kid: string;
  key: CryptoKey;
}

export interface AccessKeySet {
  signing: SigningKey;
  /** Verification keys by kid. */
  verifying: Map<string, CryptoKey>;
  /** Public JWKs to publish (empty for HS256, whose key is secret). */
  publicJwks: JWK[];
}

async function loadAccessKeys(): Promise<AccessKeySet> {
  const config = getConfig();
  if (config.JWT_ALG === 'HS256') {
    const key = await hmacKey('access-token');
    const digest = await crypto.subtle.digest('SHA-256', await deriveBytes(config.AUTH_SECRET, 'access-token'));
    const kid = 'hs256-' + base64url.encode(new Uint8Array(digest)).slice(0, 12);
    return { signing: { alg: 'HS256', kid, key }, verifying: new Map([[kid, key]]), publicJwks: [] };
  }
  // The shape (an array of P-256 JWKs with distinct kids) was checked with the rest of the configuration.
  const jwks = config.JWT_PRIVATE_KEYS;
  if (!jwks) {
    throw new ConfigError(
      'jwt-session-reference: JWT_PRIVATE_KEYS is required with JWT_ALG=ES256 (run `npm run keygen`).',
    );
  }
  const verifying = new Map<string, CryptoKey>();
  const publicJwks: JWK[] = [];
  let signing: SigningKey | undefined;
  for (const jwk of jwks) {
    const { kid, kty, crv, x, y } = jwk;
    const publicJwk: JWK = { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
    const importKey = (key: JWK) =>
      importJWK(key, 'ES256').catch(() => {
        throw new ConfigError(
          `jwt-session-reference: JWT_PRIVATE_KEYS has a key (kid "${kid}") that is not a valid P-256 key.`,
        );
      }) as Promise<CryptoKey>;
    verifying.set(kid, await importKey(publicJwk));
    publicJwks.push(publicJwk);
    // Every private half is imported, not only the signing one: a broken key must stop start-up, not a later rotation.
    const privateKey = await importKey({ ...publicJwk, d: jwk.d });
    signing ??= { alg: 'ES256', kid, key: privateKey };
  }
  return { signing: signing!, verifying, publicJwks };
}

/** The access-token keys: imported on first use, then reused. */
export const getAccessKeys = once(loadAccessKeys);
