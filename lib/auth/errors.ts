import { CodedError } from '@/lib/errors';
import type { LoginReason, RefreshFailure } from '@/lib/protocol';

/**
 * Every failure the auth layer reports, with a stable code that callers branch on (never on message text).
 * lib/http/respond.ts maps each code to its HTTP status and headers, in one place. Transport failures (body, method,
 * origin) are lib/http's HttpError; store failures are lib/db's StoreUnavailableError.
 */

export type AuthErrorCode =
  | 'invalid_credentials'
  | 'username_taken'
  | 'missing_token'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_grant'
  | 'not_found'
  | 'rate_limited';

export interface AuthErrorDetail {
  /** For invalid_grant: why the refresh was refused. */
  reason?: RefreshFailure;
  /** For invalid_grant: what ended the session, as the login page names it. */
  cause?: LoginReason;
  /** For rate_limited: seconds until the next attempt is allowed. */
  retryAfter?: number;
}

export class AuthError extends CodedError<AuthErrorCode, AuthErrorDetail> {
  override name = 'AuthError';
}
