import { API, RENEWED_EXPIRES_HEADER, RENEWED_TOKEN_HEADER, type ErrorBody, type LoginReason, type TokenBody } from '@/lib/protocol';

/**
 * The browser side of the session. The access token lives only in this module's memory: never in web storage, a
 * readable cookie or a URL. The refresh token is in an httpOnly cookie the browser sends to /api/auth/refresh by itself.
 *
 * What the browser does on a 401: `authFetch` refreshes once — a single refresh shared by every caller waiting at that
 * moment — and retries each call once. Only `invalid_grant` ends the session; network errors, 429 and 5xx keep it.
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
  override name = 'SessionEndedError';
  constructor(readonly reason: LoginReason) {
    super(`Session ended: ${reason}`);
  }
}

/** A refresh that may work if tried again (offline, timeout, 429, 5xx). */
export class TransientAuthError extends Error {
  override name = 'TransientAuthError';
  constructor(
    message: string,
    readonly status?: number,
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

/** Adopts tokens from a login, register or refresh response. */
export function adoptTokens(body: TokenBody): void {
  const now = Date.now();
  setState({
    status: 'authenticated',
    accessToken: body.accessToken,
    expiresAt: now + body.expiresIn * 1000,
    refreshExpiresAt: now + body.refreshExpiresIn * 1000,
    user: body.user,
    endedBecause: null,
  });
}

/** Forgets the session locally (after logout or when it ended on the server). */
export function forgetSession(reason: LoginReason | null): void {
  setState({ status: 'unauthenticated', accessToken: null, expiresAt: 0, refreshExpiresAt: 0, user: null, endedBecause: reason });
}

/** Maps a refresh failure to the reason the login page shows. */
export function loginReasonOf(body: ErrorBody): LoginReason {
  if (body.reason === 'expired') return body.cause === 'max_age' ? 'max_age' : 'expired';
  if (body.reason === 'revoked') {
    if (body.cause === 'logout') return 'signed_out';
    if (body.cause === 'password_changed') return 'password_changed';
    return 'revoked';
  }
  return body.reason ?? 'invalid';
}

/** One HTTP exchange the auth client made, for the live demo's sequence diagram. */
export interface AuthEvent {
  id: number;
  /** Epoch milliseconds when the request was sent. */
  at: number;
  durationMs: number;
  /** 'demo' for the live demo's controls (/api/demo/*). */
  kind: 'login' | 'register' | 'refresh' | 'logout' | 'api' | 'demo';
  method: string;
  path: string;
  /** HTTP status, or 0 when the request never got an answer. */
  status: number;
  /** The body's `error` code on failures (token_expired, invalid_grant, …). */
  error?: string;
  /** For invalid_grant: the reason (reused, revoked, …). */
  reason?: string;
  /** The access token the request carried, if any (the page holds it anyway; the demo shows a fingerprint). */
  sentToken?: string;
  /** The access token the response brought: issued by login/refresh, or a sliding renewal. */
  receivedToken?: string;
  /** True when this request retries one that failed with token_expired. */
  retry?: boolean;
  /** Which tab made the exchange, once events from other tabs are shown too; absent for this tab's own. */
  tab?: string;
}

let nextEventId = 1;
const eventListeners = new Set<(event: AuthEvent) => void>();
const HISTORY_LENGTH = 40;
let history: readonly AuthEvent[] = [];

/**
 * The latest exchanges, oldest first (a new array after each one): lets a page that loads later, like the live demo,
 * show how the session began. It holds nothing the module does not hold anyway (access tokens, never refresh tokens).
 */
export const recentAuthEvents = (): readonly AuthEvent[] => history;

/** Subscribes to every exchange the auth client makes; returns the unsubscribe function. */
export function onAuthEvent(listener: (event: AuthEvent) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

type ExchangeInfo = Pick<AuthEvent, 'kind' | 'sentToken' | 'retry'>;

/** fetch, reporting the exchange to the event listeners (with the error code read from a JSON failure body). */
export async function exchange(path: string, init: RequestInit, info: ExchangeInfo): Promise<Response> {
  const at = Date.now();
  const event: AuthEvent = { id: nextEventId++, at, durationMs: 0, method: init.method ?? 'GET', path, status: 0, ...info };
  const emit = () => {
    event.durationMs = Date.now() - at;
    history = [...history.slice(1 - HISTORY_LENGTH), event];
    for (const listener of eventListeners) listener(event);
  };
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    emit();
    throw error;
  }
  event.status = response.status;
  if (!response.ok) {
    const body = (await response.clone().json().catch(() => ({}))) as ErrorBody;
    event.error = body.error;
    event.reason = body.reason;
  } else {
    event.receivedToken =
      response.headers.get(RENEWED_TOKEN_HEADER) ??
      (info.kind === 'api' || info.kind === 'logout'
        ? undefined
        : ((await response.clone().json().catch(() => ({}))) as Partial<TokenBody>).accessToken);
  }
  emit();
  return response;
}

const JSON_POST: RequestInit = {
  method: 'POST',
  credentials: 'same-origin',
  headers: { 'Content-Type': 'application/json' },
  cache: 'no-store',
};

const REFRESH_TIMEOUT_MS = 10_000;

async function requestRefresh(): Promise<TokenBody> {
  let response: Response;
  try {
    response = await exchange(API.refresh, { ...JSON_POST, signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS) }, { kind: 'refresh' });
  } catch {
    if (state.status === 'authenticated') setState({ status: 'reconnecting' });
    throw new TransientAuthError('The server could not be reached.');
  }
  if (response.ok) {
    const body = (await response.json()) as TokenBody;
    adoptTokens(body);
    return body;
  }
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  if (response.status === 401 && body.error === 'invalid_grant') {
    const reason = loginReasonOf(body);
    forgetSession(reason);
    throw new SessionEndedError(reason);
  }
  if (state.status === 'authenticated') setState({ status: 'reconnecting' });
  throw new TransientAuthError(body.message ?? `Refresh failed with ${response.status}.`, response.status);
}

let inFlight: Promise<TokenBody> | null = null;

/** Exchanges the refresh cookie for a new access token. Concurrent callers share one request. */
export function refresh(): Promise<TokenBody> {
  inFlight ??= requestRefresh().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

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
}

async function isExpiredTokenResponse(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const body = (await response.clone().json().catch(() => ({}))) as ErrorBody;
  return body.error === 'token_expired';
}

/**
 * fetch with the access token attached. On 401 `token_expired` it refreshes (once, shared) and retries once; a
 * sliding renewal in the response replaces the token in memory. Throws SessionEndedError when the session is over.
 * `kind` labels the exchange for the event listeners ('demo' for the live demo's controls).
 */
export async function authFetch(input: string, init: RequestInit = {}, kind: 'api' | 'demo' = 'api'): Promise<Response> {
  const send = (token: string, retry: boolean) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    const request = { ...init, headers, credentials: 'same-origin', cache: 'no-store' } as const;
    return exchange(input, request, { kind, sentToken: token, retry });
  };
  const token = await currentToken();
  let sentWith = token;
  let response = await send(token, false);
  if (await isExpiredTokenResponse(response)) {
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

async function submitCredentials(kind: 'login' | 'register', username: string, password: string): Promise<TokenBody> {
  const response = await exchange(API[kind], { ...JSON_POST, body: JSON.stringify({ username, password }) }, { kind });
  const body = (await response.json().catch(() => ({}))) as TokenBody & ErrorBody;
  if (!response.ok) throw Object.assign(new Error(body.message ?? `Request failed with ${response.status}.`), { body, status: response.status });
  adoptTokens(body);
  return body;
}

export const login = (username: string, password: string) => submitCredentials('login', username, password);
export const register = (username: string, password: string) => submitCredentials('register', username, password);

/** Signs out: the server revokes the session and clears the cookie; memory is wiped whatever the network does. */
export async function logout(): Promise<void> {
  try {
    await exchange(API.logout, JSON_POST, { kind: 'logout' });
  } finally {
    forgetSession('signed_out');
  }
}
