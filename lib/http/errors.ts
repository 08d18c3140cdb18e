import 'server-only';
import { CodedError } from '@/lib/errors';
import type { HttpErrorCode } from '@/lib/protocol';

export type { HttpErrorCode };

/**
 * Failures of the request itself, before any auth logic runs: a body that is too large, of the wrong type or
 * malformed, a method the route does not take, a cross-site request. lib/http/respond.ts maps them to HTTP.
 */

export interface HttpErrorDetail {
  /** For invalid_request: the offending field. */
  field?: string;
  /** For method_not_allowed: the methods the endpoint takes. */
  allow?: string;
}

export class HttpError extends CodedError<HttpErrorCode, HttpErrorDetail> {
  override name = 'HttpError';
}
