import 'server-only';
import { getConfig } from '@/lib/config';
import { AuthError } from './errors';
import type { AccessTokenClaims } from './tokens';

/**
 * Step-up authentication (RFC 9470): a sensitive action — changing the password, signing out other sessions, adding
 * or deleting a passkey — needs a sign-in no older than STEP_UP_MAX_AGE, as the access token's `auth_time` says. A
 * refresh keeps `auth_time` (it is no authentication); POST /api/auth/reauth renews it for the same session.
 */

/** Throws 401 `insufficient_user_authentication` (with the max age, for the challenge) unless the sign-in is recent. */
export function assertRecentSignIn(claims: Pick<AccessTokenClaims, 'auth_time'>, now = Date.now()): void {
  const maxAge = getConfig().STEP_UP_MAX_AGE;
  if (Math.floor(now / 1000) - claims.auth_time <= maxAge) return;
  throw new AuthError(
    'insufficient_user_authentication',
    `This action needs a sign-in within the last ${maxAge} seconds: re-authenticate and try again.`,
    { maxAge },
  );
}
