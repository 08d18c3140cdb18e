/**
 * The wire contract shared by the browser client and the server: paths, header names and the JSON shapes both sides
 * read. Imports nothing, so the client bundle stays small.
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
} as const;

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

export interface ErrorBody {
  error: string;
  message?: string;
  reason?: RefreshFailure;
  /** For invalid_grant: what ended the session, in the login page's terms. */
  cause?: LoginReason;
  field?: string;
  retryAfter?: number;
}

/** Why a refresh was refused (invalid_grant's `reason`). */
export type RefreshFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'reused' | 'wrong_key' | 'wrong_device';

/** Why the login page is shown, as the `reason` query parameter. */
export type LoginReason =
  | 'signed_out'
  | 'expired'
  | 'max_age'
  | 'revoked'
  | 'password_changed'
  | 'reused'
  | 'missing'
  | 'invalid'
  | 'key_lost';

/** How long the auth client waits for one refresh answer before giving up on that attempt. */
export const REFRESH_TIMEOUT_MS = 8_000;
/** How many times the auth client tries a refresh whose failure is transient (offline, timeout, 429, 5xx). */
export const REFRESH_ATTEMPTS = 3;
/** Back-off before retry n (n ≥ 1): REFRESH_BACKOFF_BASE_MS × 2ⁿ, at most REFRESH_BACKOFF_MAX_MS. */
export const REFRESH_BACKOFF_BASE_MS = 500;
export const REFRESH_BACKOFF_MAX_MS = 5_000;

/**
 * The longest the client may keep retrying one refresh: every attempt timing out, plus the back-off between them
 * (8 s × 3 + 1 s + 2 s = 27 s). The server's grace window (REFRESH_GRACE_SECONDS) must outlast it, or a retry whose
 * first answer was lost presents an already-rotated token and is judged a theft.
 */
export const REFRESH_RETRY_BUDGET_MS =
  REFRESH_TIMEOUT_MS * REFRESH_ATTEMPTS +
  Array.from({ length: REFRESH_ATTEMPTS - 1 }, (_, i) => Math.min(REFRESH_BACKOFF_BASE_MS * 2 ** (i + 1), REFRESH_BACKOFF_MAX_MS)).reduce(
    (sum, ms) => sum + ms,
    0,
  );
