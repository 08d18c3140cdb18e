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
} as const;

/** The Bearer-authenticated endpoints pages call through authFetch (kept apart so the auth client does not ship them). */
export const ACCOUNT_API = {
  me: '/api/me',
  sessions: '/api/auth/sessions',
  password: '/api/auth/password',
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
}

/** Response header carrying a sliding renewal of the access token (with the seconds it lasts in the next one). */
export const RENEWED_TOKEN_HEADER = 'x-renewed-access-token';
export const RENEWED_EXPIRES_HEADER = 'x-renewed-expires-in';

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
}

export interface TokenBody {
  accessToken: string;
  tokenType: 'Bearer';
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
export type RefreshFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'reused';

/** Why the login page is shown, as the `reason` query parameter. */
export type LoginReason =
  | 'signed_out'
  | 'expired'
  | 'max_age'
  | 'revoked'
  | 'password_changed'
  | 'reused'
  | 'missing'
  | 'invalid';
