import 'server-only';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import type { SessionRow } from '@/lib/db/schema';
import { isBoundCookieValid } from './bound-cookie';
import { dpopRequired } from './dpop';
import { AuthError } from './errors';
import { countRefresh } from './refresh-limit';
import { recordSecurityEvent } from './security-events';

/**
 * What a session is bound to, and the one rule for using it. With DPoP on, a session's refresh cookie is good only
 * with a proof by the session's key (RFC 9449 §5); a session started while DPoP was off takes the key of its first
 * proof. With DBSC on, a session whose browser registered a DBSC key is good only with a valid bound cookie, which only
 * that browser can keep renewing. A refusal is recorded, and the session is NOT ended: whoever holds a copied cookie
 * must not be able to sign its owner out.
 */

type BoundSession = Pick<SessionRow, 'id' | 'user_id' | 'dpop_jkt' | 'dbsc_jwk'>;

/**
 * Whether a request's DPoP key may use the session: always with DPoP off; else there is a proof (`proofJkt`, its key's
 * thumbprint) and it is the session's key, or the session has none yet.
 */
export function keyFits(session: Pick<SessionRow, 'dpop_jkt'>, proofJkt: string | null): boolean {
  if (!dpopRequired()) return true;
  return proofJkt !== null && (session.dpop_jkt === null || session.dpop_jkt === proofJkt);
}

/** The key a session is bound to after a request that passed {@link keyFits}: its own, or the proof's when it had none. */
export function keyAfter(session: Pick<SessionRow, 'dpop_jkt'>, proofJkt: string | null): string | null {
  return session.dpop_jkt ?? (dpopRequired() ? proofJkt : null);
}

/** Whether a request's bound cookie may use the session: always with DBSC off or before the browser registered a key. */
export async function boundCookieFits(
  session: Pick<SessionRow, 'id' | 'dbsc_jwk'>,
  boundCookie: string | null,
  now = new Date(),
): Promise<boolean> {
  if (!getConfig().DBSC || session.dbsc_jwk === null) return true;
  return isBoundCookieValid(boundCookie, session.id, now);
}

/** What a request brings to use a session with: its proof's key thumbprint, and its bound cookie (each null when absent). */
export interface Presented {
  proofJkt: string | null;
  boundCookie: string | null;
}

/**
 * Throws invalid_grant `wrong_key` or `wrong_device` (the session left running) unless the request may use the session.
 * A refusal is counted against the session's refresh limit (429 past it) before it is recorded, so that a copied cookie
 * cannot fill the event log. `signOut`: the attempt was a sign-out, which needs the key but no bound cookie.
 */
export async function assertBinding(
  session: BoundSession,
  presented: Presented,
  { signOut = false, now = new Date() } = {},
): Promise<void> {
  const refs = { userId: session.user_id, sessionId: session.id };
  if (!keyFits(session, presented.proofJkt)) {
    await countRefresh(session.id, now.getTime());
    await recordSecurityEvent('dpop_key_mismatch', refs, {
      proof: presented.proofJkt !== null,
      ...(signOut ? { logout: true } : {}),
    });
    if (signOut) {
      throw new AuthError('invalid_grant', "Only the browser that holds this session's key can end it.", {
        reason: 'wrong_key',
      });
    }
    throw new AuthError(
      'invalid_grant',
      presented.proofJkt === null
        ? 'This refresh session needs a DPoP proof by its key.'
        : "The DPoP proof is signed by a key other than the session's.",
      { reason: 'wrong_key', cause: 'key_lost' },
    );
  }
  // A sign-out needs no bound cookie: the DPoP key proves it is the session's own browser.
  if (signOut || (await boundCookieFits(session, presented.boundCookie, now))) return;
  await countRefresh(session.id, now.getTime());
  await recordSecurityEvent('dbsc_cookie_missing', refs, { cookie: presented.boundCookie !== null });
  throw new AuthError('invalid_grant', 'This session is bound to a device, and this request did not come from it.', {
    reason: 'wrong_device',
    cause: 'key_lost',
  });
}

/**
 * Binds a live session to the DBSC key its browser registered; false when the session is over or already has one (a
 * session is registered once).
 */
export async function registerDbscKey(sessionId: string, jwk: string, now = new Date()): Promise<boolean> {
  const db = await getDb();
  const result = await db
    .updateTable('sessions')
    .set({ dbsc_jwk: jwk, dbsc_proved_at: now.getTime() })
    .where('id', '=', sessionId)
    .where('dbsc_jwk', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === BigInt(1);
}

/** Records that the browser proved the session's DBSC key again (a DBSC refresh). */
export async function markDbscKeyProved(sessionId: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db.updateTable('sessions').set({ dbsc_proved_at: now.getTime() }).where('id', '=', sessionId).execute();
}
