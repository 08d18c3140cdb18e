import 'server-only';
import type { NextRequest, NextResponse } from 'next/server';
import {
  encodeSessionEnds,
  readRefreshCookie,
  refreshCookieName,
  sealRefreshToken,
  sessionCookieOptions,
  sessionEndsCookieName,
  sessionEndsMaxAge,
  type RefreshCookie,
} from '@/lib/auth/cookie';
import { boundCookieName } from '@/lib/auth/bound-cookie';
import { DBSC_HEADERS, registrationHeader } from '@/lib/auth/dbsc';
import { AuthError } from '@/lib/auth/errors';
import { expiredGrantError } from '@/lib/auth/rotation';
import type { IssuedAccessToken, IssuedTokens } from '@/lib/auth/session-tokens';
import type { RefreshTokenClaims } from '@/lib/auth/tokens';
import { getConfig } from '@/lib/config';
import type { TokenBody } from '@/lib/protocol';
import { failure, json } from './respond';

/** The body and cookie every sign-in and refresh answers with, and the request's refresh session. */

/** The JSON body for an issued access token (the refresh token itself never appears in a body). */
export function tokenBody(issued: IssuedAccessToken): TokenBody {
  // Measured from the token's own iat (it was just issued): the lifetime exactly, whatever second it is now.
  const issuedAt = issued.accessClaims.iat;
  return {
    accessToken: issued.accessToken,
    tokenType: issued.accessClaims.cnf ? 'DPoP' : 'Bearer',
    expiresIn: Math.max(0, issued.accessClaims.exp - issuedAt),
    refreshExpiresIn: Math.max(0, issued.refreshExpiresAt - issuedAt),
    user: issued.user,
  };
}

/** Answers with the access token in the body and the refresh token sealed in the httpOnly cookie. */
export async function tokenResponse(issued: IssuedTokens, status = 200): Promise<NextResponse> {
  const body = tokenBody(issued);
  const refreshExpiresIn = body.refreshExpiresIn;
  const response = json(body, { status });
  response.cookies.set(
    refreshCookieName(),
    await sealRefreshToken(issued.refreshToken, refreshExpiresIn, issued.dbscBound),
    sessionCookieOptions(refreshExpiresIn),
  );
  response.cookies.set(
    sessionEndsCookieName(),
    encodeSessionEnds(issued.refreshExpiresAt, issued.sessionExpiresAt),
    sessionCookieOptions(sessionEndsMaxAge(issued.sessionExpiresAt)),
  );
  return response;
}

/**
 * A sign-in's answer, offering the browser DBSC (when DBSC is on): a registration challenge for the new session.
 * Browsers without DBSC ignore the header.
 */
export async function offerDeviceBinding(response: NextResponse, issued: IssuedTokens): Promise<NextResponse> {
  if (getConfig().DBSC) response.headers.set(DBSC_HEADERS.registration, await registrationHeader(issued.sessionId));
  return response;
}

/** Expires the refresh cookie (and its companion, and the DBSC bound cookie) on a response. */
export function clearRefreshCookie(response: NextResponse): NextResponse {
  response.cookies.set(refreshCookieName(), '', sessionCookieOptions(0));
  response.cookies.set(sessionEndsCookieName(), '', sessionCookieOptions(0));
  if (getConfig().DBSC) response.cookies.set(boundCookieName(), '', sessionCookieOptions(0));
  return response;
}

/**
 * A sign-out's failure: the cookies are cleared (this browser is signed out, whatever became of the session in the
 * store), except when only the DPoP proof was refused — the browser retries with a fresh proof or the nonce.
 */
export function signOutFailure(response: NextResponse, error: unknown): NextResponse {
  const proofRefused =
    error instanceof AuthError && (error.code === 'invalid_dpop_proof' || error.code === 'use_dpop_nonce');
  return proofRefused ? response : clearRefreshCookie(response);
}

/** The request's DBSC bound cookie, or null. */
export function boundCookieOf(request: NextRequest): string | null {
  return request.cookies.get(boundCookieName())?.value ?? null;
}

/** The request's refresh cookie, unsealed and verified (see readRefreshCookie). */
export function refreshCookieOf(request: NextRequest): Promise<RefreshCookie> {
  return readRefreshCookie(request.cookies.get(refreshCookieName())?.value);
}

async function grantFailure(cookie: Exclude<RefreshCookie, { status: 'valid' }>): Promise<AuthError> {
  if (cookie.status === 'missing') return new AuthError('invalid_grant', 'No refresh session.', { reason: 'missing' });
  if (cookie.status === 'invalid')
    return new AuthError('invalid_grant', 'The refresh cookie is not valid.', { reason: 'invalid' });
  return expiredGrantError(cookie.sid);
}

/**
 * Runs an operation on the request's refresh session. With no live refresh token, or when the operation ends in
 * invalid_grant, answers 401 invalid_grant and clears the cookie: the session is gone, and the browser should stop
 * sending it.
 */
export async function withRefreshSession(
  request: NextRequest,
  run: (claims: RefreshTokenClaims) => Promise<Response>,
): Promise<Response> {
  try {
    const cookie = await refreshCookieOf(request);
    if (cookie.status !== 'valid') throw await grantFailure(cookie);
    return await run(cookie.claims);
  } catch (error) {
    if (error instanceof AuthError && error.code === 'invalid_grant') return clearRefreshCookie(failure(error));
    throw error;
  }
}
