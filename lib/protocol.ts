/**
 * Shared by the browser, the Node server and the edge middleware (through lib/config.ts): the wire contract — paths,
 * header names, the JSON shapes and error codes both sides read, and the client's refresh timing the server's grace
 * window must cover. Imports nothing, so the client bundle stays small.
 */

/** The endpoints the auth client itself calls. */
export const API = {
  login: '/api/auth/login',
  register: '/api/auth/register',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  passkeySignInOptions: '/api/auth/passkey/sign-in/options',
  passkeySignIn: '/api/auth/passkey/sign-in',
  passkeyRegisterOptions: '/api/auth/passkey/register/options',
  passkeyRegister: '/api/auth/passkey/register',
  reauth: '/api/auth/reauth',
  reauthOptions: '/api/auth/reauth/options',
} as const;

/**
 * The attribute of the root `<html>` by which the server asks the auth client to keep its exchange history from the
 * page load's first request on (DEMO_CONTROLS on; lib/client/early-refresh.ts reads it).
 */
export const EXCHANGE_HISTORY_ATTRIBUTE = 'data-exchange-history';

/** The token-authenticated endpoints pages call through authFetch (kept apart so the auth client does not ship them). */
export const ACCOUNT_API = {
  me: '/api/me',
  sessions: '/api/auth/sessions',
  password: '/api/auth/password',
  passkeys: '/api/auth/passkeys',
  passkeyOptions: '/api/auth/passkeys/options',
} as const;

/** One of the user's sessions, as GET /api/auth/sessions lists it (times in epoch milliseconds). */
export interface SessionView {
  id: string;
  device: string;
  userAgent: string | null;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  current: boolean;
  /** Bound to a browser's DPoP key: its cookie and tokens are useless without that key. */
  keyBound: boolean;
  /** Bound to the device's hardware key too (DBSC): its browser registered one. */
  deviceBound: boolean;
  /** Attempts to use the session's refresh cookie without its key or device (refused; the session went on), if any. */
  refused: { count: number; lastAt: number } | null;
  /** How the session signed in. */
  signedInWith: 'password' | 'passkey';
}

/** One of the user's passkeys, as GET /api/auth/passkeys lists it (times in epoch milliseconds). */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Backup eligible: a synced passkey (its key is copied between the user's devices by their provider). */
  synced: boolean;
  /** When a sign-in with it was refused because its signature counter went backwards (a cloned authenticator?). */
  counterRegressedAt: number | null;
}

/** GET /api/auth/passkeys: the user's passkeys, and whether the account has a password at all. */
export interface PasskeysBody {
  passkeys: PasskeyView[];
  hasPassword: boolean;
}

/** Response header carrying a sliding renewal of the access token (with the seconds it lasts in the next one). */
export const RENEWED_TOKEN_HEADER = 'x-renewed-access-token';
export const RENEWED_EXPIRES_HEADER = 'x-renewed-expires-in';

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
}

/** The request header that carries a DPoP proof, and the response header that carries a server nonce (RFC 9449). */
export const DPOP_HEADER = 'DPoP';
export const DPOP_NONCE_HEADER = 'DPoP-Nonce';
/** The only algorithm a DPoP proof may be signed with (the browser's key is ECDSA P-256). */
export const DPOP_ALGS = ['ES256'] as const;

export interface TokenBody {
  accessToken: string;
  /** DPoP: send `Authorization: DPoP <token>` with a proof; Bearer when the server runs with DPOP_MODE=off. */
  tokenType: 'DPoP' | 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh session ends unless renewed (idle timeout or maximum age, whichever comes first). */
  refreshExpiresIn: number;
  user: PublicUser;
}

/** The codes of lib/auth/errors.ts' AuthError: what the auth layer refuses. */
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'username_taken'
  | 'missing_token'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_grant'
  | 'not_found'
  | 'rate_limited'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'invalid_dbsc_proof'
  | 'invalid_challenge'
  | 'invalid_passkey'
  | 'last_passkey'
  | 'insufficient_user_authentication';

/** The codes of lib/http/errors.ts' HttpError: what the transport refuses (body, method, origin). */
export type HttpErrorCode =
  'invalid_request' | 'unsupported_media_type' | 'payload_too_large' | 'method_not_allowed' | 'forbidden';

/**
 * Every `error` code an API answer can carry: the auth layer's, the transport's, and the two answers
 * lib/http/respond.ts writes itself (503 `temporarily_unavailable`, 500 `server_error`). The UI has words for each in
 * both languages (lib/i18n); it never shows the server's English `message`.
 */
export type ErrorCode = AuthErrorCode | HttpErrorCode | 'temporarily_unavailable' | 'server_error';

/** A failed answer's body. `message` is the server's English, for logs and API clients; the UI shows its own words. */
export interface ErrorBody {
  error: string;
  message?: string;
  reason?: RefreshFailure;
  /** For invalid_grant: what ended the session, in the login page's terms. */
  cause?: LoginReason;
  /** For invalid_request: the offending field. */
  field?: string;
  retryAfter?: number;
  /** For insufficient_user_authentication: how many seconds old the sign-in may be (RFC 9470 max_age). */
  maxAge?: number;
}

/** Why a refresh was refused (invalid_grant's `reason`). */
export type RefreshFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'reused' | 'wrong_key' | 'wrong_device';

/** Why the login page is shown, as the `reason` query parameter (and invalid_grant's `cause`). */
export const LOGIN_REASONS = [
  'signed_out',
  'expired',
  'max_age',
  'revoked',
  'password_changed',
  'reused',
  'missing',
  'invalid',
  'key_lost',
] as const;
export type LoginReason = (typeof LOGIN_REASONS)[number];

/** Narrows a query parameter or an answer's `cause` to a reason the login page can explain (`wrong_device` is not one). */
export function isLoginReason(value: unknown): value is LoginReason {
  return typeof value === 'string' && (LOGIN_REASONS as readonly string[]).includes(value);
}

/** How long the auth client waits for one refresh answer before giving up on that attempt. */
export const REFRESH_TIMEOUT_MS = 8_000;
/** How many times the auth client tries a refresh whose failure is transient (offline, timeout, 429, 5xx). */
export const REFRESH_ATTEMPTS = 3;
/** The back-off's base and its cap, which also caps a `Retry-After` wait (see refreshBackoffMs). */
export const REFRESH_BACKOFF_BASE_MS = 500;
export const REFRESH_BACKOFF_MAX_MS = 5_000;

/** The back-off before refresh retry `n` (n ≥ 1) when the server named no `Retry-After`. */
export function refreshBackoffMs(n: number): number {
  return Math.min(REFRESH_BACKOFF_BASE_MS * 2 ** n, REFRESH_BACKOFF_MAX_MS);
}

/**
 * The longest the client keeps retrying one refresh, waits included: 3 attempts of at most 8 s and the back-off between
 * them (8 s × 3 + 1 s + 2 s = 27 s; lib/client/refresh.test.ts checks the sum). It is a deadline, not an estimate: a
 * `Retry-After` wait counts against it, and the last attempt's timeout is cut to what is left, so no retry starts or
 * runs past it. The server's grace window (REFRESH_GRACE_SECONDS) must outlast it, or a retry whose first answer was
 * lost presents an already-rotated token and is judged a theft.
 */
export const REFRESH_RETRY_BUDGET_MS = 27_000;
