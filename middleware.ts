import { NextResponse, type NextRequest } from 'next/server';
import { boundCookieName, isBoundCookieValid } from '@/lib/auth/bound-cookie';
import { endedBecause, readRefreshCookie, refreshCookieName, sessionEndsCookieName } from '@/lib/auth/cookie';
import { ConfigError, getConfig, reportConfigError } from '@/lib/config';
import { safeNext } from '@/lib/safe-next';

/**
 * Edge middleware: page requests to protected paths need a live refresh cookie (read by readRefreshCookie, as in the
 * route handlers) and, for a device-bound session, a valid DBSC bound cookie; else they go to /login?next=…; signed-in
 * visitors of /login go on to their page.
 *
 * A convenience, never the only lock: it cannot see revocations (the store is not on the edge), and every API route
 * verifies its token itself. Protected pages render no user data on the server; the client fetches it with a token.
 */

const PROTECTED = ['/dashboard', '/sessions', '/demo'];

const isProtected = (pathname: string) => PROTECTED.some((path) => pathname === path || pathname.startsWith(path + '/'));

/**
 * A live refresh cookie; for a session bound to the device (DBSC; the sealed cookie says so), also a valid bound
 * cookie — which a browser with DBSC renews by itself before it expires, and a copy of the cookies cannot.
 */
async function hasSession(request: NextRequest): Promise<boolean> {
  const cookie = await readRefreshCookie(request.cookies.get(refreshCookieName())?.value);
  if (cookie.status !== 'valid') return false;
  if (!cookie.deviceBound || !getConfig().DBSC) return true;
  return isBoundCookieValid(request.cookies.get(boundCookieName())?.value, cookie.claims.sid);
}

/**
 * What every page answers while the configuration is bad (possible only on Vercel, where start-up does not exit): a
 * plain 503 page instead of the framework's error page, saying nothing about the configuration (the log names it).
 */
function unavailable(): NextResponse {
  return new NextResponse(
    '<!doctype html><meta charset="utf-8"><title>Service unavailable</title>' +
      '<h1>Service unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p>',
    { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '30' } },
  );
}

export async function middleware(request: NextRequest) {
  try {
    // Judged on every page, public ones included, so that a broken deployment says so everywhere alike.
    getConfig();
    return await guard(request);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    reportConfigError(error);
    return unavailable();
  }
}

async function guard(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isProtected(pathname)) {
    if (await hasSession(request)) return NextResponse.next();
    const login = new URL('/login', request.url);
    const reason = endedBecause(request.cookies.get(sessionEndsCookieName())?.value);
    if (reason) login.searchParams.set('reason', reason);
    login.searchParams.set('next', pathname + search);
    return NextResponse.redirect(login);
  }
  if (pathname === '/login' && (await hasSession(request))) {
    return NextResponse.redirect(new URL(safeNext(request.nextUrl.searchParams.get('next')), request.url));
  }
  return NextResponse.next();
}

export const config = {
  // Every page, so a public page pays the same framework cost as a protected one; never API routes or static assets.
  matcher: ['/((?!api/|_next/static|_next/image|\\.well-known/|favicon\\.ico|.*\\.(?:png|jpg|svg|ico|css|js|txt|webmanifest)$).*)'],
};
