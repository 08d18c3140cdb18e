import 'server-only';
import type { NextRequest, NextResponse } from 'next/server';
import { boundCookieName, makeBoundCookie } from '@/lib/auth/bound-cookie';
import { refreshCookieName, sealRefreshToken, sessionCookieOptions } from '@/lib/auth/cookie';
import { challengeHeader, DBSC_HEADERS, endInstructions, headerString, sessionInstructions } from '@/lib/auth/dbsc';
import type { DbscRefresh, DbscRegistration } from '@/lib/auth/dbsc-sessions';
import { HttpError } from './errors';
import { json, refusal } from './respond';
import { clearRefreshCookie } from './session-response';

/** The DBSC endpoints' requests and answers: what the browser sends, and instructions, challenges and bound cookies. */

/** The session a DBSC refresh names (`Sec-Secure-Session-Id: "<id>"`); 400 invalid_request without one. */
export function dbscSessionIdOf(request: NextRequest): string {
  const sessionId = headerString(request.headers.get(DBSC_HEADERS.sessionId));
  if (!sessionId || sessionId.length > 64) throw new HttpError('invalid_request', `Send ${DBSC_HEADERS.sessionId}.`);
  return sessionId;
}

/** The DBSC proof of a request (`Secure-Session-Response`), or null. */
export function dbscProofOf(request: NextRequest): string | null {
  return request.headers.get(DBSC_HEADERS.response);
}

/** The session instructions with a fresh bound cookie: what a registration or a proved refresh answers. */
async function boundResponse(sessionId: string): Promise<NextResponse> {
  const bound = await makeBoundCookie(sessionId);
  const response = json(sessionInstructions(sessionId));
  response.cookies.set(boundCookieName(), bound.value, sessionCookieOptions(bound.maxAge));
  return response;
}

/** A registration's answer: instructions, the first bound cookie, and the refresh cookie re-sealed marked DBSC-bound. */
export async function registrationResponse(registration: DbscRegistration): Promise<NextResponse> {
  const response = await boundResponse(registration.sessionId);
  const reseal = registration.resealToken;
  if (reseal) {
    response.cookies.set(
      refreshCookieName(),
      await sealRefreshToken(reseal.token, reseal.ttl, true),
      sessionCookieOptions(reseal.ttl),
    );
  }
  return response;
}

/** A DBSC refresh's answer (see DbscRefresh). */
export async function dbscRefreshResponse(refresh: DbscRefresh): Promise<NextResponse> {
  switch (refresh.outcome) {
    case 'proved':
      return boundResponse(refresh.sessionId);
    case 'challenge':
      return refusal('dbsc_challenge', 'Sign this challenge.', {
        status: 403,
        headers: { [DBSC_HEADERS.challenge]: await challengeHeader(refresh.sessionId) },
      });
    case 'end': {
      const response = json(endInstructions(refresh.sessionId));
      return refresh.clearCookies ? clearRefreshCookie(response) : response;
    }
  }
}
