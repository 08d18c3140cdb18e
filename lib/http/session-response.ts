import type { NextRequest, NextResponse } from 'next/server';
import { refreshCookieName, refreshCookieOptions, sealRefreshToken, unsealRefreshToken } from '@/lib/auth/cookie';
import type { IssuedTokens } from '@/lib/auth/sessions';
import type { TokenBody } from '@/lib/protocol';
import { json } from './respond';

/** The body and cookie every sign-in and refresh answers with. */

/** Answers with the access token in the body and the refresh token sealed in the httpOnly cookie. */
export async function tokenResponse(issued: IssuedTokens, status = 200): Promise<NextResponse> {
  const now = Math.floor(Date.now() / 1000);
  const refreshExpiresIn = Math.max(0, issued.refreshExpiresAt - now);
  const body: TokenBody = {
    accessToken: issued.accessToken,
    tokenType: 'Bearer',
    expiresIn: Math.max(0, issued.accessClaims.exp - now),
    refreshExpiresIn,
    user: issued.user,
  };
  const response = json(body, { status });
  response.cookies.set(
    refreshCookieName(),
    await sealRefreshToken(issued.refreshToken, refreshExpiresIn),
    refreshCookieOptions(refreshExpiresIn),
  );
  return response;
}

/** Expires the refresh cookie on a response. */
export function clearRefreshCookie(response: NextResponse): NextResponse {
  response.cookies.set(refreshCookieName(), '', refreshCookieOptions(0));
  return response;
}

/** The refresh token in a request's cookie, or null when there is none or the seal is not intact. */
export function refreshTokenOf(request: NextRequest): Promise<string | null> {
  return unsealRefreshToken(request.cookies.get(refreshCookieName())?.value);
}
