import 'server-only';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { textField } from '@/lib/fields';
import { AuthError } from './errors';
import { acceptAssertion } from './passkeys';
import { PASSWORD_MAX_LENGTH, verifyPassword } from './passwords';
import { ACCOUNT_LIMIT, attemptSucceeded, takeAttempt } from './throttle';
import type { AccessTokenClaims } from './tokens';
import { authenticationResponseSchema, takeAssertionChallenge, type RelyingParty } from './webauthn';

/**
 * Re-authentication before a sensitive change (adding or deleting a passkey): the person proves again that it is them,
 * with the current password or an assertion by one of their passkeys. The whole rule is {@link assertReauthenticated};
 * a general recent-sign-in rule replaces it there.
 */

/** What a request proves it with: `{password}` or `{passkey: <assertion>}` (its challenge from the options endpoint). */
export const reauthSchema = z.union(
  [
    z.object({ password: textField('reauth.password', { max: PASSWORD_MAX_LENGTH }) }),
    z.object({ passkey: authenticationResponseSchema }),
  ],
  { error: 'reauth must be {password} or {passkey}' },
);

export type Reauth = z.output<typeof reauthSchema>;

/**
 * Checks the proof for the session of `claims`, throttled per session (as the password change is: strangers failing to
 * sign in as this user cannot lock them out of this). A password on an account that has none fails as a wrong one;
 * a passkey's assertion must answer a re-authentication challenge of this very session and be by one of the user's own
 * passkeys. Throws 401 `invalid_credentials`, 400 `invalid_challenge`, 429.
 */
export async function assertReauthenticated(claims: AccessTokenClaims, proof: Reauth, rp: RelyingParty): Promise<void> {
  const key = `reauth:${claims.sid}`;
  await takeAttempt(key, ACCOUNT_LIMIT);
  if ('password' in proof) {
    const db = await getDb();
    const user = await db.selectFrom('users').select('password_hash').where('id', '=', claims.sub).executeTakeFirst();
    if (!(await verifyPassword(user?.password_hash, proof.password)))
      throw new AuthError('invalid_credentials', 'Wrong password.');
  } else {
    const expected = await takeAssertionChallenge(proof.passkey, { ceremony: 'reauth', scope: claims.sid });
    await acceptAssertion(rp, proof.passkey, expected, { userId: claims.sub });
  }
  await attemptSucceeded(key, ACCOUNT_LIMIT, { clear: true });
}
