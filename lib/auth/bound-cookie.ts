import { base64url } from 'jose';
import { getConfig } from '@/lib/config';
import { getBoundCookieKey } from './keys';

/**
 * The DBSC bound cookie: short-lived proof that this browser recently proved possession of the session's device key
 * (lib/auth/dbsc.ts). Its value is `<exp>.<mac>`, an HMAC of the session id and the expiry: nothing to look up, so the
 * edge middleware checks it as cheaply as the route handlers. Safe on the edge (no store).
 */

const encoder = new TextEncoder();
const MAC_BYTES = 16;

/**
 * The bound cookie's name (`__Host-` in production, like the refresh cookie, whose attributes it shares:
 * refreshCookieOptions; the session instructions name the same ones).
 */
export function boundCookieName(): string {
  return getConfig().NODE_ENV === 'production' ? '__Host-bound' : 'bound';
}

async function mac(sessionId: string, exp: number): Promise<Uint8Array> {
  const signature = await crypto.subtle.sign('HMAC', await getBoundCookieKey(), encoder.encode(`${sessionId}.${exp}`));
  return new Uint8Array(signature).slice(0, MAC_BYTES);
}

/** A bound cookie for a session, valid DBSC_COOKIE_TTL seconds from now. */
export async function makeBoundCookie(sessionId: string, now = new Date()): Promise<{ value: string; maxAge: number; expiresAt: number }> {
  const maxAge = getConfig().DBSC_COOKIE_TTL;
  const expiresAt = Math.floor(now.getTime() / 1000) + maxAge;
  return { value: `${expiresAt}.${base64url.encode(await mac(sessionId, expiresAt))}`, maxAge, expiresAt };
}

/** Whether a bound cookie's value was made by this server for this session and has not expired. */
export async function isBoundCookieValid(value: string | undefined | null, sessionId: string, now = new Date()): Promise<boolean> {
  const match = value ? /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(value) : null;
  if (!match) return false;
  const expiresAt = Number(match[1]);
  if (expiresAt * 1000 <= now.getTime()) return false;
  // Compared as text (so only the canonical encoding passes), in constant time: every difference folds into one value.
  const expected = base64url.encode(await mac(sessionId, expiresAt));
  const given = match[2]!;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}
