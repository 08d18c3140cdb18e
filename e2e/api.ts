import net from 'node:net';
import { test as base, expect } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { sealData, unsealData } from 'iron-session';
import {
  SignJWT,
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  importJWK,
  type JWK,
  type JWTPayload,
} from 'jose';
import pg from 'pg';
import { SERVERS } from './servers';
import { uniqueName } from './helpers';

/**
 * HTTP-level helpers for the *.api.spec.ts suites: plain fetch with the refresh cookie carried by hand (Node's fetch
 * keeps no cookie jar) and DPoP proofs signed as a browser signs them, the server's own secrets for forging and
 * unsealing (servers.ts hands them to every process), and a read-only look at the session store so "revoked in the
 * store" is checked where it happens.
 */

export const REFRESH_COOKIE = '__Host-refresh';
export const PATHS = {
  login: '/api/auth/login',
  register: '/api/auth/register',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  me: '/api/me',
  passkeySignInOptions: '/api/auth/passkey/sign-in/options',
  passkeySignIn: '/api/auth/passkey/sign-in',
  passkeyRegisterOptions: '/api/auth/passkey/register/options',
  passkeyRegister: '/api/auth/passkey/register',
  passkeys: '/api/auth/passkeys',
  passkeyOptions: '/api/auth/passkeys/options',
} as const;
export const COOKIE_ENDPOINTS = [PATHS.login, PATHS.register, PATHS.refresh, PATHS.logout] as const;
export const PASSWORD = 'a long enough password';

export interface TokenBody {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; username: string };
}

export interface ErrorBody {
  error: string;
  message?: string;
  reason?: string;
  cause?: string;
  retryAfter?: number;
  field?: string;
}

export interface MeBody {
  user: { id: string; username: string };
  token: { claims: Record<string, unknown> };
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flags map to ''. */
  attributes: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  json: unknown;
  /** The refresh cookie this response sets (or clears), if any. */
  cookie: SetCookie | null;
  /** Whether the server answering runs DPoP (DPOP_MODE=required). */
  dpop: boolean;
  /** The thumbprint of the key whose DPoP proof the request carried, or null when it carried none. */
  jkt: string | null;
}

/** A DPoP key pair as a browser holds one: the private half signs, the public JWK travels in each proof's header. */
export interface ProofKey {
  privateKey: CryptoKey;
  jwk: JWK;
  /** Its RFC 7638 thumbprint: what a bound token's cnf.jkt and a bound session's dpop_jkt hold. */
  jkt: string;
}

/** What a proof is made with instead of the right values (for the negative tests); null leaves a claim out. */
export interface ProofChanges {
  /** Signs with (and names in the header) this key instead of the Api's own. */
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

/**
 * The DPoP proof of a request. By default, against a DPoP server, one by the Api's key is made for every token endpoint
 * (login, register, refresh, logout) and every call that presents an access token, and `Authorization: Bearer X` is sent
 * as `DPoP X`; changes alter the proof made. `false` sends the request as given, without a proof; a string is sent as
 * the proof, with the headers as given.
 */
export type Dpop = false | string | ProofChanges;

export interface CallOptions {
  /** Serialised as the body, with Content-Type: application/json unless headers say otherwise. */
  json?: unknown;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  headers?: Record<string, string>;
  /** The sealed refresh cookie to send. */
  cookie?: string;
  dpop?: Dpop;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string> = {};
  for (const part of rest) {
    const [key = '', ...value] = part.trim().split('=');
    attributes[key.toLowerCase()] = value.join('=');
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** A new P-256 key pair, its public half as a JWK with its thumbprint. */
export async function newProofKey(): Promise<ProofKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await exportJWK(pair.publicKey);
  const jwk = { kty, crv, x, y };
  return { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

/** base64url(SHA-256(access token)): a proof's ath. */
export async function accessTokenHash(token: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))));
}

/** The thumbprint of the key a proof names in its header, or null when it names none usable. */
async function proofJkt(proof: string): Promise<string | null> {
  try {
    return await calculateJwkThumbprint(decodeProtectedHeader(proof).jwk!);
  } catch {
    return null;
  }
}

const TOKEN_ENDPOINTS: readonly string[] = [PATHS.login, PATHS.register, PATHS.refresh, PATHS.logout, PATHS.passkeySignIn, PATHS.passkeyRegister];
const AUTHORIZATION = /^(Bearer|DPoP)(?:\s+(.*))?$/is;

/**
 * One client of one server: a browser's worth of DPoP key (made on first use) and of the last nonce the server sent.
 * Whether the server runs DPoP, and the origin its proofs must name (APP_ORIGIN), come from its entry in servers.ts.
 */
export class Api {
  /** Whether the server runs DPoP (DPOP_MODE=required, the default). */
  readonly dpop: boolean;
  /** The origin a proof's htu names: the server's APP_ORIGIN, else the origin requests go to. */
  readonly proofOrigin: string;
  /** The last DPoP-Nonce the server sent: every later proof carries it. */
  nonce: string | undefined;
  #key: Promise<ProofKey> | undefined;

  /** `key`: the key of another Api, for the same browser talking to another instance. */
  constructor(readonly baseURL: string, key?: ProofKey) {
    this.#key = key && Promise.resolve(key);
    const env: Record<string, string | undefined> = SERVERS.find((server) => server.url === this.origin)?.env ?? {};
    this.dpop = env.DPOP_MODE !== 'off';
    this.proofOrigin = env.APP_ORIGIN ?? this.origin;
  }

  get origin(): string {
    return new URL(this.baseURL).origin;
  }

  /** The Authorization scheme the server takes access tokens with. */
  get scheme(): 'DPoP' | 'Bearer' {
    return this.dpop ? 'DPoP' : 'Bearer';
  }

  key(): Promise<ProofKey> {
    this.#key ??= newProofKey();
    return this.#key;
  }

  /** A DPoP proof by this client's key for `method path` (with the ath of `accessToken` when given), as changed. */
  async proof(method: string, path: string, accessToken?: string, changes: ProofChanges = {}): Promise<string> {
    const key = changes.key ?? (await this.key());
    const nonce = changes.nonce === undefined ? this.nonce : changes.nonce;
    const ath = changes.ath === undefined && accessToken !== undefined ? await accessTokenHash(accessToken) : changes.ath;
    const claims = {
      jti: changes.jti ?? crypto.randomUUID(),
      htm: changes.htm ?? method,
      htu: changes.htu ?? this.proofOrigin + new URL(path, this.origin).pathname,
      iat: changes.iat ?? now(),
      ...(nonce ? { nonce } : {}),
      ...(ath ? { ath } : {}),
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk, ...changes.header }).sign(key.privateKey);
  }

  /** Puts the request's DPoP proof (and DPoP scheme) into its headers, per {@link Dpop}; returns the proof sent. */
  async #prove(method: string, path: string, headers: Record<string, string>, dpop: Dpop | undefined): Promise<string | null> {
    if (typeof dpop === 'string') return (headers.dpop = dpop);
    if (dpop === false || !this.dpop) return null;
    const name = Object.keys(headers).find((header) => header.toLowerCase() === 'authorization') ?? 'authorization';
    const [, scheme, token] = AUTHORIZATION.exec(headers[name] ?? '') ?? [];
    const accessToken = scheme === undefined ? undefined : (token ?? '');
    if (scheme?.toLowerCase() === 'bearer') headers[name] = `DPoP ${accessToken}`;
    if (accessToken === undefined && !TOKEN_ENDPOINTS.includes(new URL(path, this.origin).pathname)) return null;
    return (headers.dpop = await this.proof(method, path, accessToken, dpop));
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    if (options.cookie !== undefined) headers.cookie = `${REFRESH_COOKIE}=${options.cookie}`;
    const proof = await this.#prove(method, path, headers, options.dpop);
    const response = await fetch(this.baseURL + path, { method, headers, body, redirect: 'manual' });
    this.nonce = response.headers.get('dpop-nonce') ?? this.nonce;
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const cookies = response.headers.getSetCookie().map(parseSetCookie);
    return {
      status: response.status,
      headers: response.headers,
      text,
      json,
      cookie: cookies.find((c) => c.name === REFRESH_COOKIE) ?? null,
      dpop: this.dpop,
      jkt: proof === null ? null : await proofJkt(proof),
    };
  }

  post(path: string, options: CallOptions = {}): Promise<ApiResponse> {
    return this.call('POST', path, options);
  }

  login(username: string, password: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.post(PATHS.login, { json: { username, password }, headers });
  }

  register(username: string, password: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.post(PATHS.register, { json: { username, password }, headers });
  }

  refresh(cookie?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.post(PATHS.refresh, { cookie, headers });
  }

  logout(cookie?: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.post(PATHS.logout, { cookie, headers });
  }

  /** GET /api/me with the Authorization header given (`Bearer X` is sent as `DPoP X` with a proof, per {@link Dpop}). */
  me(authorization?: string, dpop?: Dpop): Promise<ApiResponse> {
    return this.call('GET', PATHS.me, { headers: authorization === undefined ? {} : { authorization }, dpop });
  }

  /** Registers a fresh account and returns its sign-in: tokens, cookie value and session id. */
  async signUp(prefix = 'api'): Promise<Session> {
    const username = uniqueName(prefix).toLowerCase();
    const response = await this.register(username, PASSWORD);
    if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${response.text}`);
    return sessionOf(response, { username, password: PASSWORD });
  }
}

export interface Session {
  username: string;
  password: string;
  body: TokenBody;
  accessToken: string;
  claims: JWTPayload & { sid: string; sub: string };
  cookie: string;
}

/** Reads a successful sign-in or refresh response into a Session. */
export function sessionOf(response: ApiResponse, credentials: { username: string; password: string }): Session {
  const body = response.json as TokenBody;
  if (!response.cookie?.value) throw new Error(`no refresh cookie in a ${response.status} response`);
  return {
    ...credentials,
    body,
    accessToken: body.accessToken,
    claims: decodeJwt(body.accessToken) as Session['claims'],
    cookie: response.cookie.value,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The server's secrets, as servers.ts generated them, for forging tokens and (un)sealing cookies. The derivations
// mirror lib/auth/keys.ts: if they drift, the seal tests fail loudly rather than pass vacuously.

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
export async function signRefreshLike(claims: JWTPayload, header: { alg: string; typ?: string } = { alg: 'HS256', typ: 'rt+jwt' }): Promise<string> {
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

/**
 * A signed value as lib/auth/signed-value.ts makes one (`<expiry base 36>.<payload>.<HMAC>`), with the server's key for
 * `label`: to forge what only the server should make (an expired challenge, one for another ceremony).
 */
export async function signedValueAsServer(label: string, { subject = '', payload = '', expiresAt }: { subject?: string; payload?: string; expiresAt: number }): Promise<string> {
  const key = await crypto.subtle.importKey('raw', await derive(label), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expiry = expiresAt.toString(36);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${label}\n${subject}\n${expiry}.${payload}`));
  return `${expiry}.${payload}.${Buffer.from(mac).toString('base64url')}`;
}

export const now = () => Math.floor(Date.now() / 1000);

/** A copy of a real access token's claims, re-signed with the real key after the given changes. */
export async function resign(accessToken: string, changes: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return signAccess({ ...decodeJwt(accessToken), ...changes }, header);
}

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export { decodeJwt, decodeProtectedHeader };

// ---------------------------------------------------------------------------------------------------------------
// A read-only view of the session store behind the server under test.

export interface StoredSession {
  id: string;
  generation: number;
  current_jti: string;
  previous_jti: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  /** The thumbprint of the DPoP key the session is bound to, if any. */
  dpop_jkt: string | null;
}

export interface Store {
  session(id: string): Promise<StoredSession | undefined>;
  close(): Promise<void>;
}

const SESSION_COLUMNS = 'id, generation, current_jti, previous_jti, revoked_at, revoke_reason, dpop_jkt';

function storeFor(baseURL: string): Store {
  const env: Record<string, string | undefined> | undefined = SERVERS.find((server) => server.url === baseURL)?.env;
  if (env?.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
    return {
      async session(id) {
        const { rows } = await pool.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id]);
        const row = rows[0] as StoredSession | undefined;
        return row && { ...row, generation: Number(row.generation), revoked_at: row.revoked_at === null ? null : Number(row.revoked_at) };
      },
      close: () => pool.end(),
    };
  }
  if (!env?.DATABASE_PATH) throw new Error(`e2e: no known store behind ${baseURL}`);
  const path = env.DATABASE_PATH;
  // Opened on first read: the server creates the file on its first use of the store, which may be this test's.
  let db: SQLite.Database | undefined;
  return {
    async session(id) {
      db ??= new SQLite(path, { readonly: true, fileMustExist: true });
      return db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(id) as StoredSession | undefined;
    },
    async close() {
      db?.close();
    },
  };
}

/** `api` talks to the project's server (its baseURL); `store` reads that server's session store. */
export const test = base.extend<{ api: Api; store: Store }>({
  // Playwright's fixture callback is conventionally named `use`; the React hooks lint rule mistakes it for React's.
  api: async ({ baseURL }, provide) => {
    await provide(new Api(baseURL!));
  },
  store: async ({ baseURL }, provide) => {
    const store = storeFor(baseURL!);
    await provide(store);
    await store.close();
  },
});

export { expect };

/**
 * Sends raw bytes over TCP (for lies fetch will not tell: a wrong Content-Length, chunked bodies) and returns the
 * status line's code (0 when the server answered nothing before the socket closed or the wait ran out) and the body.
 */
export function rawRequest(baseURL: string, payload: string, { halfClose = false, waitMs = 3000 } = {}): Promise<{ status: number; raw: string }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let data = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({ status: match ? Number(match[1]) : 0, raw: data });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(payload, 'latin1');
    if (halfClose) socket.end();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions shared by the suites.

export function expectNoStore(response: ApiResponse): void {
  expect(response.headers.get('cache-control'), 'Cache-Control').toMatch(/(^|,\s*)no-store(\s*,|$)/);
}

/**
 * A 2xx sign-in/refresh answer: the token body of the contract, no-store, and a fresh refresh cookie. From a DPoP server
 * a DPoP token bound to the key that signed the request's proof (cnf.jkt); else a Bearer token bound to nothing.
 */
export function expectTokenResponse(response: ApiResponse, status: number, username?: string): TokenBody {
  expect(response.status, response.text).toBe(status);
  expectNoStore(response);
  const body = response.json as TokenBody;
  const tokenType = response.dpop ? 'DPoP' : 'Bearer';
  expect(body).toMatchObject({ accessToken: expect.any(String), tokenType, expiresIn: expect.any(Number) });
  expect(Object.keys(body.user).sort()).toEqual(['id', 'username']);
  if (username) expect(body.user.username).toBe(username);
  const claims = decodeJwt(body.accessToken);
  expect(claims.sub).toBe(body.user.id);
  if (response.dpop) expect(claims.cnf, 'cnf: the thumbprint of the proof\'s key').toEqual({ jkt: response.jkt });
  else expect(claims, 'no cnf on a Bearer token').not.toHaveProperty('cnf');
  expect(Math.abs(body.expiresIn - (claims.exp! - now()))).toBeLessThanOrEqual(2);
  expect(body.expiresIn).toBeGreaterThan(0);
  expectRefreshCookieSet(response);
  return body;
}

/** The refresh cookie is set with every protective attribute (`__Host-` rules: Secure, Path=/, no Domain). */
export function expectRefreshCookieSet(response: ApiResponse): void {
  const cookie = response.cookie;
  expect(cookie, 'a Set-Cookie for the refresh cookie').not.toBeNull();
  expect(cookie!.value.length).toBeGreaterThan(0);
  expect(cookie!.attributes).toHaveProperty('httponly');
  expect(cookie!.attributes).toHaveProperty('secure');
  expect(cookie!.attributes.path).toBe('/');
  expect(cookie!.attributes.samesite?.toLowerCase()).toMatch(/^(lax|strict)$/);
  expect(cookie!.attributes).not.toHaveProperty('domain');
  expect(Number(cookie!.attributes['max-age'])).toBeGreaterThan(0);
}

/** The refresh cookie is expired on the client (Max-Age=0, empty value). */
export function expectRefreshCookieCleared(response: ApiResponse): void {
  expect(response.cookie, 'a Set-Cookie clearing the refresh cookie').not.toBeNull();
  expect(response.cookie!.value).toBe('');
  expect(response.cookie!.attributes['max-age']).toBe('0');
  expect(response.cookie!.attributes.path).toBe('/');
  expect(response.cookie!.attributes).toHaveProperty('secure');
}

/** 401 invalid_grant with the given reason (or one of several), the cookie cleared, no-store. */
export function expectInvalidGrant(response: ApiResponse, reason: string | string[]): void {
  expect(response.status, response.text).toBe(401);
  expectNoStore(response);
  const body = response.json as ErrorBody;
  expect(body.error).toBe('invalid_grant');
  if (Array.isArray(reason)) expect(reason).toContain(body.reason);
  else expect(body.reason).toBe(reason);
  expectRefreshCookieCleared(response);
}

/** An error answer: status, body code, no-store, and the refresh cookie left alone. */
export function expectError(response: ApiResponse, status: number, code: string): ErrorBody {
  expect(response.status, response.text).toBe(status);
  expectNoStore(response);
  const body = response.json as ErrorBody;
  expect(body?.error, response.text).toBe(code);
  // Neither set nor cleared: a refused request (a cross-site one above all) must not touch the session cookie.
  expect(response.cookie, 'no Set-Cookie for the refresh cookie').toBeNull();
  return body;
}
