import 'server-only';
import type { NextResponse } from 'next/server';
import { boundCookieName, makeBoundCookie } from '@/lib/auth/bound-cookie';
import { refreshCookieOptions } from '@/lib/auth/cookie';
import { sessionInstructions } from '@/lib/auth/dbsc';
import { AuthError } from '@/lib/auth/errors';
import { getConfig } from '@/lib/config';
import { json } from './respond';

/** What the two DBSC endpoints share: they exist only with DBSC on, and answer with instructions and a bound cookie. */

export function assertDbscEnabled(): void {
  if (!getConfig().DBSC) throw new AuthError('not_found', 'Device-bound sessions are off.');
}

/** The session instructions with a fresh bound cookie: what a registration or a proved refresh answers. */
export async function boundResponse(sessionId: string): Promise<NextResponse> {
  const bound = await makeBoundCookie(sessionId);
  const response = json(sessionInstructions(sessionId));
  response.cookies.set(boundCookieName(), bound.value, refreshCookieOptions(bound.maxAge));
  return response;
}
