// Shared with the edge runtime (the middleware reads the refresh cookie): codes only, no dependency.
import { CodedError } from '@/lib/errors';
import type { AuthErrorCode, LoginReason, RefreshFailure } from '@/lib/protocol';

export type { AuthErrorCode };

/**
 * Every failure the auth layer reports, with a stable code that callers branch on (never on message text).
 * lib/http/respond.ts maps each code to its HTTP status and headers, in one place. Transport failures (body, method,
 * origin) are lib/http's HttpError; store failures are lib/db's StoreUnavailableError.
 */

export interface AuthErrorDetail {
  /** For invalid_grant: why the refresh was refused. */
  reason?: RefreshFailure;
  /** For invalid_grant: what ended the session, as the login page names it. */
  cause?: LoginReason;
  /** For rate_limited: seconds until the next attempt is allowed. */
  retryAfter?: number;
  /** For insufficient_user_authentication: how many seconds old the sign-in may be (RFC 9470 max_age). */
  maxAge?: number;
}

export interface AuthErrorOptions {
  /**
   * For the DPoP codes: raised by a resource (an API call), which answers 401 with a `WWW-Authenticate: DPoP` challenge,
   * rather than by a token endpoint, which answers 400 (RFC 9449 §7.1, §8, §9).
   */
  resource?: boolean;
  /** For use_dpop_nonce: the nonce the client must put in its next proof (sent as the DPoP-Nonce header). */
  nonce?: string;
  /** For invalid_dbsc_proof: only the challenge was stale or used; the browser should sign a fresh one. */
  stale?: boolean;
}

export class AuthError extends CodedError<AuthErrorCode, AuthErrorDetail> {
  override name = 'AuthError';

  constructor(
    code: AuthErrorCode,
    message: string,
    detail: AuthErrorDetail = {},
    readonly options: AuthErrorOptions = {},
  ) {
    super(code, message, detail);
  }
}
