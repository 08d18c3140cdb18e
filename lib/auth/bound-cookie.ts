// Shared with the edge runtime (the middleware checks this cookie): no store, Web Crypto only.
import { getConfig, type Config } from '@/lib/config';
import { secureCookies } from './cookie';
import { readSignedValue, signValue } from './signed-value';

/**
 * The DBSC bound cookie: short-lived proof that this browser recently proved possession of the session's DBSC key
 * (lib/auth/dbsc.ts). Its value is a signed value (lib/auth/signed-value.ts) for the session id with the cookie's
 * expiry: nothing to look up, so the edge middleware checks it as cheaply as the route handlers.
 */

/** How long before a bound cookie expires Chrome renews it (a DBSC refresh), in seconds. */
export const DBSC_PROACTIVE_REFRESH_SECONDS = 120;

/**
 * The bound cookie's name (`__Host-` in production, like the refresh cookie, whose attributes it shares:
 * sessionCookieOptions; the session instructions name the same ones).
 */
export function boundCookieName(): string {
  return secureCookies() ? '__Host-bound' : 'bound';
}

/** A bound cookie for a session, valid DBSC_COOKIE_TTL seconds from now. */
export async function makeBoundCookie(
  sessionId: string,
  now = new Date(),
): Promise<{ value: string; maxAge: number; expiresAt: number }> {
  const maxAge = getConfig().DBSC_COOKIE_TTL;
  // Rounded up: the browser keeps the cookie Max-Age seconds from when it arrives, so a value rounded down would stop
  // verifying up to a second before the browser drops it — a page load in that second would find no session.
  const expiresAt = Math.ceil(now.getTime() / 1000) + maxAge;
  return { value: await signValue('dbsc-bound-cookie', { subject: sessionId, expiresAt }), maxAge, expiresAt };
}

/** Whether a bound cookie's value was made by this server for this session and has not expired. */
export async function isBoundCookieValid(
  value: string | undefined | null,
  sessionId: string,
  now = new Date(),
): Promise<boolean> {
  return (await readSignedValue('dbsc-bound-cookie', value, { subject: sessionId, now })) !== null;
}

/**
 * A warning when DBSC is on and its bound cookie lives no longer than the time before expiry at which Chrome renews
 * it: Chrome would then renew it on every request. Undefined otherwise.
 */
export function boundCookieWarning(config: Config): string | undefined {
  if (!config.DBSC || config.DBSC_COOKIE_TTL > DBSC_PROACTIVE_REFRESH_SECONDS) return undefined;
  return (
    `DBSC_COOKIE_TTL=${config.DBSC_COOKIE_TTL} is not longer than the ${DBSC_PROACTIVE_REFRESH_SECONDS} s before expiry at ` +
    'which Chrome renews a bound cookie: it will renew it on every request.'
  );
}
