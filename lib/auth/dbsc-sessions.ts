import 'server-only';
import { getConfig } from '@/lib/config';
import { markDbscKeyProved, registerDbscKey } from './binding';
import type { RefreshCookie } from './cookie';
import { verifyRefreshProof, verifyRegistration } from './dbsc';
import { AuthError } from './errors';
import { recordSecurityEvent } from './security-events';
import { cookieSessionId, isLive, loadSession } from './sessions';
import { countRefresh } from './refresh-limit';

/**
 * The two DBSC endpoints' decisions (lib/auth/dbsc.ts has the protocol: proofs, challenges, headers): registering the
 * browser's DBSC key for its session, and renewing the bound cookie when the browser proves that key again.
 */

/** Throws 404 unless DBSC is on: the endpoints call it before anything else, so that without DBSC they are not there. */
export function assertDbscEnabled(): void {
  if (!getConfig().DBSC) throw new AuthError('not_found', 'Device-bound sessions are off.');
}

/** A registration that was accepted; `resealToken` is the refresh token to re-seal marked DBSC-bound, when it is current. */
export interface DbscRegistration {
  sessionId: string;
  resealToken: { token: string; ttl: number } | null;
}

/**
 * Registers the DBSC key a browser proved (the proof signs the challenge its sign-in was offered) for the session of
 * its refresh cookie. Throws 401 invalid_grant without a live refresh cookie, 400 invalid_dbsc_proof for a bad proof or
 * a session that is over or already has a key.
 */
export async function registerDbscSession(
  cookie: RefreshCookie,
  proof: string | null,
  now = new Date(),
): Promise<DbscRegistration> {
  if (cookie.status !== 'valid')
    throw new AuthError('invalid_grant', 'No refresh session to bind.', { reason: 'missing' });
  const { sid, jti, exp } = cookie.claims;
  const jwk = await verifyRegistration(proof, sid, now);
  const session = await loadSession(sid);
  if (!session || !isLive(session, now) || !(await registerDbscKey(sid, jwk, now))) {
    throw new AuthError('invalid_dbsc_proof', 'This session is over, or already bound to a DBSC key.');
  }
  await recordSecurityEvent('dbsc_registered', { userId: session.user_id, sessionId: sid });
  // The cookie's token is marked unless a rotation replaced it meanwhile: that rotation's successor is marked at the
  // next rotation, and until then the middleware does not ask this session for its bound cookie.
  const current = jti === session.current_jti;
  return {
    sessionId: sid,
    resealToken: current ? { token: cookie.token, ttl: exp - Math.floor(now.getTime() / 1000) } : null,
  };
}

/** What a DBSC refresh comes to. */
export type DbscRefresh =
  /** The proof by the registered key was good: new instructions and bound cookie. */
  | { outcome: 'proved'; sessionId: string }
  /** No proof, or it signed a stale or used challenge: 403 with a fresh challenge. */
  | { outcome: 'challenge'; sessionId: string }
  /** The refresh session is over: end the browser's DBSC session; `clearCookies` unless the cookie is another session's. */
  | { outcome: 'end'; sessionId: string; clearCookies: boolean };

/**
 * Judges a DBSC refresh (made by the browser itself before its bound cookie expires): the session it names
 * (`Sec-Secure-Session-Id`), the request's refresh cookie and its proof. Throws 400 invalid_dbsc_proof for a proof
 * that is refused for more than its challenge (recorded, and counted against the session's refresh limit: 429 past it).
 */
export async function refreshDbscSession(
  sessionId: string,
  cookie: RefreshCookie,
  proof: string | null,
  now = new Date(),
): Promise<DbscRefresh> {
  const cookieSession = cookieSessionId(cookie);
  const session = await loadSession(sessionId);
  if (!session?.dbsc_jwk || !isLive(session, now) || cookieSession !== sessionId) {
    // When the browser's cookie belongs to another session (it signed in again since), that one is left alone.
    if (cookieSession !== null && cookieSession !== sessionId)
      return { outcome: 'end', sessionId, clearCookies: false };
    if (session?.dbsc_jwk) await recordSecurityEvent('dbsc_ended', { userId: session.user_id, sessionId });
    return { outcome: 'end', sessionId, clearCookies: true };
  }
  if (proof === null) return { outcome: 'challenge', sessionId };
  try {
    await verifyRefreshProof(proof, sessionId, session.dbsc_jwk, now);
  } catch (error) {
    if (error instanceof AuthError && error.options.stale) return { outcome: 'challenge', sessionId };
    if (error instanceof AuthError) {
      // Counted like refreshes (429 past the limit), so a copied cookie cannot fill the event log.
      await countRefresh(sessionId, now.getTime());
      await recordSecurityEvent(
        'dbsc_proof_refused',
        { userId: session.user_id, sessionId },
        { message: error.message },
      );
    }
    throw error;
  }
  await markDbscKeyProved(sessionId, now);
  await recordSecurityEvent('dbsc_refreshed', { userId: session.user_id, sessionId });
  return { outcome: 'proved', sessionId };
}
