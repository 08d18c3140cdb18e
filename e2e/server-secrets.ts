import { sealData, unsealData } from 'iron-session';
import { SignJWT, decodeJwt, importJWK, type JWK, type JWTPayload } from 'jose';

/**
 * The server's secrets, as servers.ts generated them, for forging tokens and (un)sealing cookies. The derivations
 * mirror lib/auth/keys.ts: if they drift, the seal tests fail loudly rather than pass vacuously.
 */

const encoder = new TextEncoder();

function secret(): string {
  const value = process.env.E2E_AUTH_SECRET;
  if (!value) throw new Error('e2e: E2E_AUTH_SECRET is not set (servers.ts sets it)');
  return value;
}

async function derive(label: string): Promise<ArrayBuffer> {
  const keyMaterial = await crypto.subtle.importKey('raw', encoder.encode(secret()), 'HKDF', false, ['deriveBits']);
  return crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('jwt-session-reference/v1'), info: encoder.encode(label) },
    keyMaterial,
    256,
  );
}

/** The string password the server sealed cookies with before raw keys (password id 1; still read). */
async function legacyCookiePassword(): Promise<string> {
  return Buffer.from(await derive('refresh-cookie')).toString('base64url');
}

/** The server's cookie passwords by id, as lib/auth/keys.ts derives them: id 2, the raw key, seals. */
async function cookiePasswords(): Promise<Record<string, string>> {
  const raw = new Uint8Array(await derive('refresh-cookie-key/2'));
  // iron-session passes the password to iron-webcrypto, which takes a raw key too; its types say string only.
  return { 1: await legacyCookiePassword(), 2: raw as unknown as string };
}

/** The refresh token inside a sealed cookie, or null when the seal does not open. */
export async function unsealCookie(seal: string): Promise<string | null> {
  const data = await unsealData<{ rt?: string }>(seal, { password: await cookiePasswords() });
  return typeof data.rt === 'string' ? data.rt : null;
}

/**
 * Seals anything as the server would (to test what is checked beyond the seal): with its raw key, with the string
 * password of before (`'legacy'`), or with another password.
 */
export async function sealAsServer(data: Record<string, unknown>, password?: string | 'legacy'): Promise<string> {
  const chosen = password === 'legacy' ? await legacyCookiePassword() : (password ?? (await cookiePasswords()));
  return sealData(data, { password: chosen, ttl: 3600 });
}

/** Signs a refresh-shaped JWT with the server's refresh key. */
export async function signRefreshLike(
  claims: JWTPayload,
  header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'rt+jwt' },
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(new Uint8Array(await derive('refresh-token')));
}

function signingJwk(): JWK & { kid: string } {
  const keys = JSON.parse(process.env.E2E_JWT_PRIVATE_KEYS ?? '[]') as (JWK & { kid: string })[];
  if (!keys[0]) throw new Error('e2e: E2E_JWT_PRIVATE_KEYS is not set (servers.ts sets it)');
  return keys[0];
}

/** The access-token signing key's public half, as a JWK. */
export function publicJwk(): JWK & { kid: string } {
  const { kty, crv, x, y, kid } = signingJwk();
  return { kty, crv, x, y, kid };
}

/** Signs an access token with the server's real ES256 key: header and claims as given (kid defaults to the real one). */
export async function signAccess(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const jwk = signingJwk();
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid, ...header }).sign(key);
}

/** A copy of a real access token's claims, re-signed with the real key after the given changes. */
export async function resign(
  accessToken: string,
  changes: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  return signAccess({ ...decodeJwt(accessToken), ...changes }, header);
}

/** base64url of a string, or of a value's JSON: a JWS segment written by hand. */
export const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
