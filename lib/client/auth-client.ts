import {
  API,
  DPOP_HEADER,
  REFRESH_ATTEMPTS,
  REFRESH_BACKOFF_BASE_MS,
  REFRESH_BACKOFF_MAX_MS,
  REFRESH_TIMEOUT_MS,
  RENEWED_EXPIRES_HEADER,
  RENEWED_TOKEN_HEADER,
  type ErrorBody,
  type LoginReason,
  type TokenBody,
} from '@/lib/protocol';
import { broadcast, onTabMessage, tabId, withRefreshLock, withSessionLock } from './cross-tab';
import { dropKey, keepKey, learnNonce, loadKey, newKey, proofFor, reloadKey } from './dpop';

/**
 * The browser side of the session. The access token lives only in this module's memory: never in web storage, a
 * readable cookie or a URL. The refresh token is in an httpOnly cookie the browser sends to /api/auth/refresh by itself.
 * Both are bound to this browser's DPoP key (dpop.ts): every request that uses one carries a proof signed by the key,
 * made at sign-in and kept in IndexedDB. When the key is gone the refresh is refused (`wrong_key`) and the session ends
 * with the reason `key_lost`. A proof the server refuses (`invalid_dpop_proof`) is never answered with a refresh; a
 * nonce demand (`use_dpop_nonce`) is answered once, with the nonce.
 *
 * What the browser does on a 401: when `authFetch` is refused with `token_expired` (the token ran out) or
 * `invalid_token` (e.g. the session was revoked elsewhere), it refreshes once — a single refresh shared by every caller
 * waiting at that moment, and by every tab (cross-tab.ts) — and retries the call once. If the session is gone the
 * refresh answers `invalid_grant`, which ends it with its reason; nothing else ends it: network errors, timeouts, 429
 * and 5xx keep it and are retried with back-off while the page shows "reconnecting".
 */

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'reconnecting';

export interface AuthState {
  status: AuthStatus;
  accessToken: string | null;
  /** Epoch milliseconds at which the access token expires (by this browser's clock). */
  expiresAt: number;
  /** Epoch milliseconds at which the refresh session ends unless renewed. */
  refreshExpiresAt: number;
  user: TokenBody['user'] | null;
  /** Why the session ended, when it did. */
  endedBecause: LoginReason | null;
}

/** The session ended for good (invalid_grant): sign in again. */
export class SessionEndedError extends Error {
  constructor(readonly reason: LoginReason) {
    super(reason);
  }
}

/** A refresh that may work if tried again (offline, timeout, 429, 5xx). */
export class TransientAuthError extends Error {
  constructor(
    message: string,
    /** How long the server asked us to wait (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

let state: AuthState = {
  status: 'loading',
  accessToken: null,
  expiresAt: 0,
  refreshExpiresAt: 0,
  user: null,
  endedBecause: null,
};
const listeners = new Set<() => void>();

function setState(patch: Partial<AuthState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export const getAuthState = (): AuthState => state;

/** For useSyncExternalStore. */
export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let latest: TokenBody | null = null;
/** When the refresh session was last extended (tokens adopted), by this browser's clock. */
let refreshedAt = 0;

/** Adopts tokens from a login, register or refresh response, and hands them to the other tabs. */
export function adoptTokens(body: TokenBody, fromPeer = false): void {
  const now = Date.now();
  latest = body;
  refreshedAt = now;
  if (!fromPeer) broadcast({ type: 'tokens', body, from: tabId });
  setState({
    status: 'authenticated',
    accessToken: body.accessToken,
    expiresAt: now + body.expiresIn * 1000,
    refreshExpiresAt: now + body.refreshExpiresIn * 1000,
    user: body.user,
    endedBecause: null,
  });
}

/** Forgets the session (after logout or when it ended on the server), in every tab. */
export function forgetSession(reason: LoginReason, fromPeer = false): void {
  latest = null;
  if (!fromPeer) broadcast({ type: 'ended', reason, from: tabId });
  setState({ status: 'unauthenticated', accessToken: null, expiresAt: 0, refreshExpiresAt: 0, user: null, endedBecause: reason });
}

/** What the auth client tells an observer (the live demo) about one exchange. */
export interface ExchangeInfo {
  /**
   * 'api': a call through authFetch; 'peer': no request — another tab handed over its token; 'demo': a request the live
   * demo makes itself through {@link exchange}.
   */
  kind: 'login' | 'register' | 'refresh' | 'logout' | 'api' | 'peer' | 'demo';
  /** The tab that made the request (for 'peer': the tab that handed over its token). */
  tab: string;
  method: string;
  path: string;
  sentToken?: string;
  /** The DPoP proof sent with the request. */
  proof?: string;
  /** For 'peer': the token handed over. */
  receivedToken?: string;
  retry?: boolean;
}

/** One exchange: what was sent, a copy of the response (null when none came), when it started and ended. */
export type Exchange = [info: ExchangeInfo, response: Response | null, startedAt: number, endedAt: number];
type ExchangeObserver = (exchange: Exchange) => void;
const observers = new Set<ExchangeObserver>();

/**
 * Tells `observer` about every exchange from now on; returns the function that stops it. While nobody observes, the
 * client keeps and copies nothing.
 */
export function observeExchanges(observer: ExchangeObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function report(info: ExchangeInfo, response: Response | null, startedAt: number): void {
  if (observers.size === 0) return;
  const endedAt = Date.now();
  for (const observer of observers) observer([info, response?.clone() ?? null, startedAt, endedAt]);
}

/**
 * fetch, reported to the observers (each gets its own copy of the response, whose body the caller is about to read).
 * Exported for pages that make requests of their own that an observer should see (the live demo's cookie controls).
 */
export async function exchange(path: string, init: RequestInit, info: Pick<ExchangeInfo, 'kind' | 'sentToken' | 'retry' | 'proof'>) {
  const at = Date.now();
  let response: Response | null = null;
  try {
    response = await fetch(path, init);
    return response;
  } finally {
    report({ ...info, tab: tabId, method: init.method ?? 'GET', path }, response, at);
  }
}

const JSON_POST: RequestInit = {
  method: 'POST',
  credentials: 'same-origin',
  headers: { 'Content-Type': 'application/json' },
  cache: 'no-store',
};

// The refresh timeout, attempts and back-off live in lib/protocol.ts: their sum must stay inside the server's grace
// window (30 s by default; start-up warns when it does not), so a retried refresh gets the same successor.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transient(error: TransientAuthError): never {
  if (state.status === 'authenticated') setState({ status: 'reconnecting' });
  throw error;
}

const errorOf = async (response: Response): Promise<ErrorBody> =>
  (await response.clone().json().catch(() => ({}))) as ErrorBody;

/**
 * Sends a request with a DPoP proof by `pair` (none when null), bound to `token` when one is sent, and sends it once
 * more, with the nonce, when the server demands one (400 at the token endpoints, 401 at the API).
 */
async function sendWithProof(
  path: string,
  init: RequestInit,
  info: Pick<ExchangeInfo, 'kind' | 'retry'>,
  pair: CryptoKeyPair | null,
  token?: string,
): Promise<Response> {
  const method = init.method ?? 'GET';
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(init.headers);
    const proof = pair ? await proofFor(pair, method, path, token) : undefined;
    if (proof) headers.set(DPOP_HEADER, proof);
    if (token) headers.set('Authorization', `${proof ? 'DPoP' : 'Bearer'} ${token}`);
    const response = await exchange(path, { ...init, headers }, { ...info, sentToken: token, proof, retry: info.retry || attempt > 0 });
    if (!learnNonce(response) || attempt > 0 || (await errorOf(response)).error !== 'use_dpop_nonce') return response;
  }
}

async function requestRefresh(): Promise<TokenBody> {
  let response: Response;
  try {
    const init = { ...JSON_POST, signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS) };
    response = await sendWithProof(API.refresh, init, { kind: 'refresh' }, await loadKey());
  } catch {
    return transient(new TransientAuthError('Offline'));
  }
  if (response.ok) {
    const body = (await response.json()) as TokenBody;
    adoptTokens(body);
    return body;
  }
  const body = await errorOf(response);
  if (response.status === 401 && body.error === 'invalid_grant') {
    // The server's cause is already one of the login page's reasons (signed_out, expired, max_age, reused, …).
    const reason = (body.cause ?? body.reason ?? 'invalid') as LoginReason;
    forgetSession(reason);
    throw new SessionEndedError(reason);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return transient(new TransientAuthError(body.message ?? `HTTP ${response.status}`, retryAfter * 1000 || undefined));
}

/** requestRefresh, tried again with back-off (or as Retry-After says) while the failure is transient. */
async function requestRefreshPatiently(): Promise<TokenBody> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestRefresh();
    } catch (error) {
      if (!(error instanceof TransientAuthError) || attempt >= REFRESH_ATTEMPTS) throw error;
      await sleep(Math.min(error.retryAfterMs ?? REFRESH_BACKOFF_BASE_MS * 2 ** attempt, REFRESH_BACKOFF_MAX_MS));
    }
  }
}

let inFlight: Promise<TokenBody> | null = null;

/** Exchanges the refresh cookie for a new access token. Concurrent callers, in this tab and in others, share one. */
export function refresh(): Promise<TokenBody> {
  const stale = state.accessToken;
  inFlight ??= withRefreshLock(
    () => (latest && state.accessToken && state.accessToken !== stale ? latest : null),
    requestRefreshPatiently,
  ).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

onTabMessage((message) => {
  // The other tab may have signed in with a new key: read it again before the next proof.
  reloadKey();
  if (message.type === 'ended') return forgetSession(message.reason, true);
  adoptTokens(message.body, true);
  report({ kind: 'peer', tab: message.from, method: 'BroadcastChannel', path: 'tokens', receivedToken: message.body.accessToken }, null, Date.now());
});

/** An access token to use now: the one in memory, or a fresh one from the refresh cookie. */
async function currentToken(): Promise<string> {
  return state.accessToken ?? (await refresh()).accessToken;
}

function adoptRenewal(response: Response, sentWith: string): void {
  const renewed = response.headers.get(RENEWED_TOKEN_HEADER);
  const expiresIn = Number(response.headers.get(RENEWED_EXPIRES_HEADER));
  // Only replace the token the call was made with: a newer one from a refresh meanwhile wins.
  if (renewed && Number.isFinite(expiresIn) && state.accessToken === sentWith) {
    setState({ accessToken: renewed, expiresAt: Date.now() + expiresIn * 1000 });
  }
  // Calls (and their renewals) keep the access token alive but not the refresh session's idle timer: once past half
  // of it, rotate in the background, so a user busy in one page is never idled out.
  if (response.ok && state.status === 'authenticated' && Date.now() - refreshedAt > (state.refreshExpiresAt - refreshedAt) / 2) {
    refresh().catch(() => {});
  }
}

/**
 * A 401 that one refresh may cure: the token expired, or was refused (its session revoked, its key retired). A refused
 * proof (invalid_dpop_proof) is not: a new token would be proved with the same key.
 */
async function isRefreshable(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const { error } = await errorOf(response);
  return error === 'token_expired' || error === 'invalid_token';
}

/**
 * fetch with the access token attached (and a DPoP proof for it). On 401 `token_expired` or `invalid_token` it
 * refreshes (once, shared) and retries once; a sliding renewal in the response replaces the token in memory. Throws
 * SessionEndedError when the session is over (the refresh answered invalid_grant).
 */
export async function authFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const send = async (token: string, retry: boolean) => {
    const request = { ...init, credentials: 'same-origin', cache: 'no-store' } as const;
    return sendWithProof(input, request, { kind: 'api', retry }, latest?.tokenType === 'DPoP' ? await loadKey() : null, token);
  };
  const token = await currentToken();
  let sentWith = token;
  let response = await send(token, false);
  if (await isRefreshable(response)) {
    // Someone may have refreshed while this call was out; use their token rather than refreshing again.
    sentWith = state.accessToken && state.accessToken !== token ? state.accessToken : (await refresh()).accessToken;
    response = await send(sentWith, true);
  }
  adoptRenewal(response, sentWith);
  return response;
}

/** Restores the session on page load from the refresh cookie, silently. Resolves to whether there is one. */
export async function restoreSession(): Promise<boolean> {
  if (state.accessToken) return true;
  try {
    await refresh();
    return true;
  } catch (error) {
    if (error instanceof SessionEndedError) return false;
    throw error;
  }
}

/**
 * Signs in with a new key, under the session lock so that tabs never race to replace it. The key is stored only once
 * the sign-in succeeds: a failed attempt leaves the current session and its key alone.
 */
function submitCredentials(kind: 'login' | 'register', username: string, password: string): Promise<TokenBody> {
  return withSessionLock(async () => {
    const pair = await newKey();
    const init = { ...JSON_POST, body: JSON.stringify({ username, password }) };
    const response = await sendWithProof(API[kind], init, { kind }, pair);
    const body = (await response.json().catch(() => ({}))) as TokenBody & ErrorBody;
    if (!response.ok) throw Object.assign(new Error(body.message ?? `HTTP ${response.status}`), { body, status: response.status });
    await keepKey(pair);
    adoptTokens(body);
    return body;
  });
}

export const login = (username: string, password: string) => submitCredentials('login', username, password);
export const register = (username: string, password: string) => submitCredentials('register', username, password);

/**
 * Signs out: the server revokes the session and clears the cookie; memory and the key are wiped whatever the network
 * does.
 */
export async function logout(): Promise<void> {
  try {
    await sendWithProof(API.logout, JSON_POST, { kind: 'logout' }, await loadKey());
  } finally {
    forgetSession('signed_out');
    await dropKey();
  }
}
