import { decodeJwt, type JWTPayload } from 'jose';
import { PASSWORD, uniqueName } from './helpers';
import { proofJkt, signProof, type ProofChanges, type ProofKey, newProofKey } from './proofs';
import { SERVERS } from './servers';

/**
 * The HTTP client of the *.api.spec.ts suites: plain fetch with the refresh cookie carried by hand (Node's fetch keeps
 * no cookie jar) and a DPoP proof (proofs.ts) on every request a browser would sign.
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
  reauth: '/api/auth/reauth',
  reauthOptions: '/api/auth/reauth/options',
  password: '/api/auth/password',
  sessions: '/api/auth/sessions',
} as const;
export const COOKIE_ENDPOINTS = [PATHS.login, PATHS.register, PATHS.refresh, PATHS.logout, PATHS.reauth] as const;

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

const TOKEN_ENDPOINTS: readonly string[] = [
  PATHS.login,
  PATHS.register,
  PATHS.refresh,
  PATHS.logout,
  PATHS.passkeySignIn,
  PATHS.passkeyRegister,
  PATHS.reauth,
  PATHS.reauthOptions,
];
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
  constructor(
    readonly baseURL: string,
    key?: ProofKey,
  ) {
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
    const htu = this.proofOrigin + new URL(path, this.origin).pathname;
    return signProof(await this.key(), { htm: method, htu, nonce: this.nonce, accessToken }, changes);
  }

  /** Puts the request's DPoP proof (and DPoP scheme) into its headers, per {@link Dpop}; returns the proof sent. */
  async #prove(
    method: string,
    path: string,
    headers: Record<string, string>,
    dpop: Dpop | undefined,
  ): Promise<string | null> {
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
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
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
