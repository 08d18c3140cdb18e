import { NextResponse, type NextRequest } from 'next/server';
import { AuthError, isStoreFailure, type AuthErrorCode } from '@/lib/auth/errors';
import { ConfigError, reportConfigError } from '@/lib/config';

/** JSON responses and the one place where error codes become HTTP statuses and headers. */

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON response that no cache may keep (every auth response carries tokens or session state). */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): NextResponse {
  return NextResponse.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/** 204 No Content, uncacheable. */
export function noContent(): NextResponse {
  return new NextResponse(null, { status: 204, headers: NO_STORE });
}

const STATUS: Record<AuthErrorCode, number> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  method_not_allowed: 405,
  forbidden: 403,
  not_found: 404,
  invalid_credentials: 401,
  username_taken: 409,
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  invalid_grant: 401,
  no_previous_token: 409,
  grace_window: 409,
  rate_limited: 429,
  temporarily_unavailable: 503,
};

const quote = (value: string) => value.replace(/["\\]/g, '');

function headersFor(error: AuthError): Record<string, string> {
  switch (error.code) {
    case 'missing_token':
      return { 'WWW-Authenticate': 'Bearer realm="api"' };
    case 'invalid_token':
    case 'token_expired':
      return {
        'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${quote(error.message)}"`,
      };
    case 'rate_limited':
    case 'grace_window':
      return { 'Retry-After': String(error.detail.retryAfter ?? 1) };
    case 'method_not_allowed':
      return { Allow: error.detail.allow ?? 'POST' };
    case 'temporarily_unavailable':
      return { 'Retry-After': '5' };
    default:
      return {};
  }
}

/** The response for an AuthError: status, headers and a short JSON body `{error, message, …detail}`. */
export function authErrorResponse(error: AuthError): NextResponse {
  return json(
    { error: error.code, message: error.message, ...error.detail },
    { status: STATUS[error.code], headers: headersFor(error) },
  );
}

/**
 * Turns anything a handler threw into a response: AuthErrors by their code, store failures and a bad configuration
 * (reachable only on Vercel, where start-up does not exit) into 503, and anything else into a bare 500 (logged by name
 * only: messages may carry input, never print tokens).
 */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AuthError) return authErrorResponse(error);
  if (error instanceof ConfigError) {
    // The log names the bad variables (once per instance); the answer says nothing about the configuration.
    reportConfigError(error);
    return authErrorResponse(new AuthError('temporarily_unavailable', 'The service is temporarily unavailable.'));
  }
  if (isStoreFailure(error)) {
    console.error('jwt-session-reference: session store unavailable:', describe(error));
    return authErrorResponse(new AuthError('temporarily_unavailable', 'The session store is unavailable; try again shortly.'));
  }
  console.error('jwt-session-reference: unexpected error:', describe(error));
  return json({ error: 'server_error', message: 'Something went wrong.' }, { status: 500 });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

type Handler<Context> = (request: NextRequest, context: Context) => Promise<Response>;

/** Wraps a route handler so that every failure becomes a mapped JSON response (never a stack trace). */
export function handle<Context>(handler: Handler<Context>): Handler<Context> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A 405 handler naming the allowed methods: export it for every method a route module does not take. */
export function methodNotAllowed(allow: string) {
  return handle(async () => {
    throw new AuthError('method_not_allowed', `Use ${allow}.`, { allow });
  });
}

/** The 405 handler of the POST-only endpoints. */
export const onlyPost = methodNotAllowed('POST');
