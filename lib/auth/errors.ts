/**
 * Every failure the auth layer reports, with a stable code that callers branch on (never on message text).
 * lib/http/respond.ts maps each code to its HTTP status and headers, in one place.
 */

/** Why a refresh was refused; shown to the user on the login page. */
export type RefreshFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'reused';

export type AuthErrorCode =
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'forbidden'
  | 'not_found'
  | 'invalid_credentials'
  | 'username_taken'
  | 'missing_token'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_grant'
  | 'no_previous_token'
  | 'grace_window'
  | 'rate_limited'
  | 'temporarily_unavailable';

export interface AuthErrorDetail {
  /** For invalid_grant: why the refresh was refused. */
  reason?: RefreshFailure;
  /** For invalid_grant: what ended the session, in finer grain (idle, max_age, logout, password_changed, …). */
  cause?: string;
  /** For invalid_request: the offending field. */
  field?: string;
  /** For rate_limited: seconds until the next attempt is allowed. */
  retryAfter?: number;
}

export class AuthError extends Error {
  override name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly detail: AuthErrorDetail = {},
  ) {
    super(message);
  }
}

/** Thrown when the session store cannot be reached or fails; answered with 503, never a bypass. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

const STORE_ERROR_CODES = /^(SQLITE_|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|EPIPE|08|53|57P|58|3D000|28)/;

/** True when an error means the store failed (unreachable, down, out of resources), as opposed to a bug. */
export function isStoreFailure(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && STORE_ERROR_CODES.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|database is locked|Client has encountered a connection error/i.test(
    error.message,
  );
}
