import type { NextRequest, NextResponse } from 'next/server';
import {
  encodeSessionEnds,
  refreshCookieName,
  refreshCookieOptions,
  sealRefreshToken,
  sessionEndsCookieName,
  sessionEndsMaxAge,
  unsealRefreshToken,
} from '@/lib/auth/cookie';
import { AuthError } from '@/lib/auth/errors';
import type { IssuedTokens } from '@/lib/auth/sessions';
import type { TokenBody } from '@/lib/protocol';
import { authErrorResponse, json } from './respond';

/** The body and cookie every sign-in and refresh answers with. */

/** The JSON body for issued tokens (the refresh token itself never appears in a body). */
export function tokenBody(issued: Omit<IssuedTokens, 'refreshToken'>): TokenBody {
  // Measured from the token's own iat (it was just issued): the lifetime exactly, whatever second it is now.
  const issuedAt = issued.accessClaims.iat;
  return {
    accessToken: issued.accessToken,
    tokenType: 'Bearer',
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
    await sealRefreshToken(issued.refreshToken, refreshExpiresIn),
    refreshCookieOptions(refreshExpiresIn),
  );
  response.cookies.set(
    sessionEndsCookieName(),
    encodeSessionEnds(issued.refreshExpiresAt, issued.sessionExpiresAt),
    refreshCookieOptions(sessionEndsMaxAge(issued.sessionExpiresAt)),
  );
  return response;
}

/** Expires the refresh cookie (and its companion) on a response. */
export function clearRefreshCookie(response: NextResponse): NextResponse {
  response.cookies.set(refreshCookieName(), '', refreshCookieOptions(0));
  response.cookies.set(sessionEndsCookieName(), '', refreshCookieOptions(0));
  return response;
}

/** The refresh token in a request's cookie, or null when there is none or the seal is not intact. */
export function refreshTokenOf(request: NextRequest): Promise<string | null> {
  return unsealRefreshToken(request.cookies.get(refreshCookieName())?.value);
}

/**
 * Runs an operation on the request's refresh session. With no session, or when the operation ends in invalid_grant,
 * answers 401 invalid_grant and clears the cookie: the session is gone, and the browser should stop sending it.
 */
export async function withRefreshSession(request: NextRequest, run: (refreshToken: string) => Promise<Response>): Promise<Response> {
  const cookie = request.cookies.get(refreshCookieName())?.value;
  const refreshToken = await unsealRefreshToken(cookie);
  try {
    if (!cookie) throw new AuthError('invalid_grant', 'No refresh session.', { reason: 'missing' });
    if (!refreshToken) throw new AuthError('invalid_grant', 'The refresh cookie is not valid.', { reason: 'invalid' });
    return await run(refreshToken);
  } catch (error) {
    if (error instanceof AuthError && error.code === 'invalid_grant') return clearRefreshCookie(authErrorResponse(error));
    throw error;
  }
}
