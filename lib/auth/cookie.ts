// Shared with the edge runtime (the middleware reads the refresh cookie): no store, Web Crypto only.
import { sealData, unsealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { BoundedMap } from '@/lib/bounded-map';
import { getConfig } from '@/lib/config';
import { AuthError } from './errors';
import { getCookiePasswords } from './keys';
import { verifyRefreshToken, type RefreshTokenClaims } from './tokens';

/**
 * The refresh cookie: the refresh JWT sealed with iron-session (encrypted and authenticated), httpOnly so no script can
 * read it. Production uses the `__Host-` prefix, which the browser only accepts with Secure, Path=/ and no Domain.
 * {@link readRefreshCookie} is the one reader (unseal + verify) for the middleware and the route handlers alike.
 */

/** Whether the session's cookies are Secure and `__Host-`-prefixed: in production (they work over http in development). */
export function secureCookies(): boolean {
  return getConfig().NODE_ENV === 'production';
}

/** The refresh cookie's name; the only place the app spells it (the tests spell it too: it is part of the contract). */
export function refreshCookieName(): string {
  return secureCookies() ? '__Host-refresh' : 'refresh';
}

/**
 * A companion cookie that outlives the refresh cookie and holds only two times: when the refresh token expires (idle
 * timeout) and when the session reaches its maximum age. No secret: it only lets the middleware tell a visitor whose
 * refresh cookie has expired WHY ("expired after inactivity", "maximum age") instead of a bare "please sign in".
 */
export function sessionEndsCookieName(): string {
  return secureCookies() ? '__Host-session-ends' : 'session-ends';
}

/** How long the companion cookie is kept after the session's maximum age, in seconds. */
const ENDS_COOKIE_MARGIN = 7 * 86_400;

export function encodeSessionEnds(refreshExpiresAt: number, sessionExpiresAt: number): string {
  return `${refreshExpiresAt}.${sessionExpiresAt}`;
}

export function sessionEndsMaxAge(sessionExpiresAt: number, now = Date.now() / 1000): number {
  return Math.max(0, Math.floor(sessionExpiresAt - now) + ENDS_COOKIE_MARGIN);
}

/** Why a session whose refresh cookie is gone ended: 'max_age', 'expired' (idle), or null when the cookie says nothing. */
export function endedBecause(value: string | undefined, now = Date.now() / 1000): 'max_age' | 'expired' | null {
  const match = value ? /^(\d{1,12})\.(\d{1,12})$/.exec(value) : null;
  if (!match) return null;
  if (now >= Number(match[2])) return 'max_age';
  if (now >= Number(match[1])) return 'expired';
  return null;
}

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: '/';
  maxAge: number;
}

/** Attributes of the session's cookies: the refresh cookie, its companion and the DBSC bound cookie; maxAge in seconds. */
export function sessionCookieOptions(maxAge: number): CookieOptions {
  return { httpOnly: true, secure: secureCookies(), sameSite: 'lax', path: '/', maxAge: Math.max(0, maxAge) };
}

/**
 * The seal outlives its token by this much: a cookie that arrives just after its token's exp still opens, so the server
 * can say why the session ended and a sign-out still ends it ({@link RefreshCookie} `expired`), instead of `invalid`.
 */
const SEAL_MARGIN_SECONDS = 60;

/**
 * Seals a refresh token for the cookie, for `ttlSeconds` (the token's remaining life) plus a minute's margin.
 * `dbscBound` marks a session whose browser registered a DBSC key: the middleware then also asks for a valid bound
 * cookie, which it cannot otherwise know to ask for (the store is not on the edge).
 */
export async function sealRefreshToken(token: string, ttlSeconds: number, dbscBound = false): Promise<string> {
  const data = dbscBound ? { rt: token, db: 1 } : { rt: token };
  return sealData(data, { password: await getCookiePasswords(), ttl: Math.max(1, ttlSeconds) + SEAL_MARGIN_SECONDS });
}

/** Seals longer than this are not ours (ours are ~650 characters); refused before any crypto. */
const MAX_SEAL_LENGTH = 2048;

/**
 * The refresh token sealed in a cookie value, or null for anything that is not an intact seal of ours: iron-session
 * returns `{}` for a tampered seal or an unknown password and throws for some other garbage; both mean "no session".
 */
async function unseal(seal: string): Promise<{ token: string; dbscBound: boolean } | null> {
  if (seal.length > MAX_SEAL_LENGTH) return null;
  try {
    const data = await unsealData<{ rt?: unknown; db?: unknown }>(seal, { password: await getCookiePasswords() });
    return typeof data.rt === 'string' && data.rt.length > 0 ? { token: data.rt, dbscBound: data.db === 1 } : null;
  } catch {
    return null;
  }
}

/** What a request's refresh cookie holds. */
export type RefreshCookie =
  | { status: 'valid'; claims: RefreshTokenClaims; token: string; dbscBound: boolean }
  | { status: 'missing' }
  | { status: 'invalid' }
  /** A genuine token past its exp: `sid` lets the server say why the session ended (and sign-out still end it). */
  | { status: 'expired'; sid: string | null };

/**
 * Cookies already read, by value, with their claims: a page load or a sign-out reads the same cookie a rotation just
 * set. A rotated cookie is a new value, so an entry never goes stale, only old; it is used only until its token's exp.
 */
const verifiedCookies = new BoundedMap<string, Extract<RefreshCookie, { status: 'valid' }>>(1000);

/** Unseals and verifies a refresh cookie's value (see {@link RefreshCookie}). Never throws for bad input. */
export async function readRefreshCookie(value: string | undefined, now = new Date()): Promise<RefreshCookie> {
  if (!value) return { status: 'missing' };
  const known = verifiedCookies.get(value);
  if (known && known.claims.exp * 1000 > now.getTime()) return known;
  const sealed = await unseal(value);
  if (!sealed) return { status: 'invalid' };
  const { token, dbscBound } = sealed;
  try {
    const valid = { status: 'valid', claims: await verifyRefreshToken(token, now), token, dbscBound } as const;
    verifiedCookies.set(value, valid);
    return valid;
  } catch (error) {
    if (!(error instanceof AuthError) || error.detail.reason !== 'expired') return { status: 'invalid' };
    // jose checks the signature before exp, and the seal is authenticated: the expired token is one we issued.
    const { sid } = decodeJwt(token);
    return { status: 'expired', sid: typeof sid === 'string' ? sid : null };
  }
}
