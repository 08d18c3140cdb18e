import { sealData, unsealData } from 'iron-session';
import { getConfig } from '@/lib/config';
import { getCookiePassword } from './keys';

/**
 * The refresh cookie: the refresh JWT sealed with iron-session (encrypted and authenticated), httpOnly so no script can
 * read it. Production uses the `__Host-` prefix, which the browser only accepts with Secure, Path=/ and no Domain.
 */

/** The refresh cookie's name; the only place it is spelled. */
export function refreshCookieName(): string {
  return getConfig().production ? '__Host-refresh' : 'refresh';
}

/**
 * A companion cookie that outlives the refresh cookie and holds only two times: when the refresh token expires (idle
 * timeout) and when the session reaches its maximum age. No secret: it only lets the middleware tell a visitor whose
 * refresh cookie has expired WHY ("expired after inactivity", "maximum age") instead of a bare "please sign in".
 */
export function sessionEndsCookieName(): string {
  return getConfig().production ? '__Host-session-ends' : 'session-ends';
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

/** Attributes of the refresh cookie; maxAge is the seconds the sealed token stays usable. */
export function refreshCookieOptions(maxAge: number): CookieOptions {
  return { httpOnly: true, secure: getConfig().production, sameSite: 'lax', path: '/', maxAge: Math.max(0, maxAge) };
}

/** Seals a refresh token for the cookie; the seal itself expires with the token. */
export async function sealRefreshToken(token: string, ttlSeconds: number): Promise<string> {
  return sealData({ rt: token }, { password: await getCookiePassword(), ttl: Math.max(1, ttlSeconds) + 60 });
}

/** Seals longer than this are not ours (ours are ~600 characters); refused before any crypto. */
const MAX_SEAL_LENGTH = 2048;

/**
 * Unseals the refresh cookie. Returns null for anything that is not an intact seal of ours: iron-session returns `{}`
 * for a tampered seal or a wrong password and throws for some other garbage; both mean "no session".
 */
export async function unsealRefreshToken(seal: string | undefined): Promise<string | null> {
  if (!seal || seal.length > MAX_SEAL_LENGTH) return null;
  try {
    const data = await unsealData<{ rt?: unknown }>(seal, { password: await getCookiePassword() });
    return typeof data.rt === 'string' && data.rt.length > 0 ? data.rt : null;
  } catch {
    return null;
  }
}
