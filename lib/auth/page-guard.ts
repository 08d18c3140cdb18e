// Shared with the edge runtime (middleware.ts runs it there) and runtime-neutral: no Next.js, no store, no Node API.
import { getConfig } from '@/lib/config';
import { safeNext } from '@/lib/safe-next';
import { boundCookieName, isBoundCookieValid } from './bound-cookie';
import { endedBecause, readRefreshCookie, refreshCookieName, sessionEndsCookieName } from './cookie';

/**
 * The page guard: protected pages need a live refresh cookie (read by readRefreshCookie, as in the route handlers)
 * and, for a DBSC-bound session, a valid bound cookie; else they go to /login?next=… (with the reason when the
 * companion cookie tells it); signed-in visitors of /login go on to their page.
 *
 * A convenience, never the only lock: it cannot see revocations (the store is not on the edge), and every API route
 * verifies its token itself. It takes a plain request shape so that the same code runs under the edge runtime and
 * Node (a `proxy.ts` could call it unchanged).
 */

export const PROTECTED_PATHS = ['/dashboard', '/sessions', '/demo'];

/** What the guard sees of a page request. */
export interface PageRequest {
  url: URL;
  cookie: (name: string) => string | undefined;
}

/** What the guard decides: let the request through, or send it elsewhere (an absolute URL). */
export type PageDecision = { action: 'next' } | { action: 'redirect'; location: string };

const isProtected = (pathname: string) =>
  PROTECTED_PATHS.some((path) => pathname === path || pathname.startsWith(path + '/'));

/**
 * A live refresh cookie; for a session whose cookie is marked DBSC-bound, also a valid bound cookie — which a browser
 * with DBSC renews by itself before it expires, and a copy of the cookies cannot. (A registration that raced a rotation
 * leaves the rotated cookie unmarked until the next rotation; until then only the refresh endpoint asks for the bound
 * cookie.)
 */
async function hasSession(request: PageRequest): Promise<boolean> {
  const cookie = await readRefreshCookie(request.cookie(refreshCookieName()));
  if (cookie.status !== 'valid') return false;
  if (!cookie.dbscBound || !getConfig().DBSC) return true;
  return isBoundCookieValid(request.cookie(boundCookieName()), cookie.claims.sid);
}

/** Decides a page request (see the module comment). */
export async function guardPage(request: PageRequest): Promise<PageDecision> {
  const { pathname, search } = request.url;
  if (isProtected(pathname)) {
    if (await hasSession(request)) return { action: 'next' };
    const login = new URL('/login', request.url);
    const reason = endedBecause(request.cookie(sessionEndsCookieName()));
    if (reason) login.searchParams.set('reason', reason);
    login.searchParams.set('next', pathname + search);
    return { action: 'redirect', location: login.href };
  }
  if (pathname === '/login' && (await hasSession(request))) {
    return { action: 'redirect', location: new URL(safeNext(request.url.searchParams.get('next')), request.url).href };
  }
  return { action: 'next' };
}
