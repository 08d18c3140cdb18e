import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { dpopRequired } from '@/lib/auth/dpop';
import { AuthError, type AuthErrorCode } from '@/lib/auth/errors';
import { StoreUnavailableError } from '@/lib/db/errors';
import { HttpError, type HttpErrorCode } from './errors';
import { ConfigError, reportConfigError } from '@/lib/config';
import { DPOP_ALGS, DPOP_NONCE_HEADER } from '@/lib/protocol';

/**
 * JSON responses, and the one place where the error codes of AuthError and HttpError become HTTP statuses and headers
 * ({@link statusOf}, {@link failure}). The few answers that refuse without an error of either kind — the DBSC
 * challenge, the live demo's 409s — are built with {@link refusal}, here too.
 */

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON response that no cache may keep (every auth response carries tokens or session state). */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): NextResponse {
  return NextResponse.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/** 204 No Content, uncacheable. */
export function noContent(): NextResponse {
  return new NextResponse(null, { status: 204, headers: NO_STORE });
}

/**
 * The status of every error code the API answers with. The DPoP codes are a token endpoint's (400); on an API call
 * they are an authentication failure (401 with a DPoP challenge, RFC 9449 §7.1): see {@link statusOf}.
 */
export const STATUS: Record<AuthErrorCode | HttpErrorCode | 'temporarily_unavailable', number> = {
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
  rate_limited: 429,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  invalid_dbsc_proof: 400,
  invalid_challenge: 400,
  invalid_passkey: 400,
  last_passkey: 409,
  insufficient_user_authentication: 401,
  temporarily_unavailable: 503,
};

const quote = (value: string) => value.replace(/["\\]/g, '');

/**
 * The API's authentication challenge (RFC 6750 §3, RFC 9449 §7.1): DPoP with its algorithms, or Bearer; a step-up
 * challenge adds the sign-in's maximum age (RFC 9470 §3).
 */
function challenge(error?: { code: string; message: string }, maxAge?: number): string {
  const scheme = dpopRequired() ? `DPoP algs="${DPOP_ALGS.join(' ')}"` : 'Bearer realm="api"';
  if (!error) return scheme;
  const described = `${scheme}, error="${error.code}", error_description="${quote(error.message)}"`;
  return maxAge === undefined ? described : `${described}, max_age=${maxAge}`;
}

function headersFor(error: AuthError | HttpError): Record<string, string> {
  switch (error.code) {
    case 'missing_token':
      return { 'WWW-Authenticate': challenge() };
    case 'invalid_token':
    case 'token_expired':
      return { 'WWW-Authenticate': challenge({ code: 'invalid_token', message: error.message }) };
    case 'insufficient_user_authentication':
      return { 'WWW-Authenticate': challenge(error, (error as AuthError).detail.maxAge) };
    case 'invalid_dpop_proof':
    case 'use_dpop_nonce': {
      const { resource, nonce } = (error as AuthError).options;
      return {
        ...(resource ? { 'WWW-Authenticate': challenge(error) } : {}),
        ...(nonce ? { [DPOP_NONCE_HEADER]: nonce } : {}),
      };
    }
    case 'rate_limited':
      return { 'Retry-After': String(error.detail.retryAfter ?? 1) };
    case 'method_not_allowed':
      return { Allow: error.detail.allow ?? 'POST' };
    default:
      return {};
  }
}

/** The status an error answers with: its code's, but 401 for a proof refused by an API call (a resource). */
export function statusOf(error: AuthError | HttpError): number {
  return error instanceof AuthError && error.options.resource ? 401 : STATUS[error.code];
}

/** The response for an AuthError or HttpError: status, headers and a short JSON body `{error, message, …detail}`. */
export function failure(error: AuthError | HttpError): NextResponse {
  return json(
    { error: error.code, message: error.message, ...error.detail },
    { status: statusOf(error), headers: headersFor(error) },
  );
}

/**
 * A refusal that is not an error of the auth layer (a DBSC challenge to sign, a demo control that did not act): the
 * same short body `{error, message, …detail}`, with the status and headers given.
 */
export function refusal(
  error: string,
  message: string,
  { status, headers, detail }: { status: number; headers?: Record<string, string>; detail?: Record<string, unknown> },
): NextResponse {
  return json({ error, message, ...detail }, { status, headers });
}

/** 503 for a store (or a configuration) that cannot serve: a short body that says nothing about either. */
export function unavailable(message = 'The session store is unavailable; try again shortly.'): NextResponse {
  return json(
    { error: 'temporarily_unavailable', message },
    { status: STATUS.temporarily_unavailable, headers: { 'Retry-After': '5' } },
  );
}

/**
 * Turns anything a handler threw into a response: AuthErrors and HttpErrors by their code, store failures and a bad
 * configuration (reachable only on Vercel, where start-up does not exit) into 503, and anything else into a bare 500
 * (logged by name and message, never with the request: no token or body reaches the log).
 */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AuthError || error instanceof HttpError) return failure(error);
  if (error instanceof ConfigError) {
    // The log names the bad variables (once per instance); the answer says nothing about the configuration.
    reportConfigError(error);
    return unavailable('The service is temporarily unavailable.');
  }
  if (error instanceof StoreUnavailableError) {
    console.error('jwt-session-reference: session store unavailable:', describe(error));
    return unavailable();
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

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/**
 * A route module's handlers: the ones given, each wrapped by {@link handle}, and 405 with `Allow` for every other
 * method (HEAD follows GET). Export the result by destructuring:
 * `export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({ POST: … })`.
 */
export function route<Context = unknown>(
  handlers: Partial<Record<Exclude<Method, 'HEAD' | 'OPTIONS'>, Handler<Context>>>,
) {
  const given = { ...handlers, ...(handlers.GET ? { HEAD: handlers.GET } : {}) } as Partial<
    Record<Method, Handler<Context>>
  >;
  const allow = METHODS.filter((method) => given[method]).join(', ');
  const refuse: Handler<Context> = async () => failure(new HttpError('method_not_allowed', `Use ${allow}.`, { allow }));
  return Object.fromEntries(
    METHODS.map((method) => [method, given[method] ? handle(given[method]) : refuse]),
  ) as Record<Method, Handler<Context>>;
}
