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
