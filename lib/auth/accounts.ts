import 'server-only';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';
import { stringField, textField } from '@/lib/fields';
import type { UserRow } from '@/lib/db/schema';
import type { PublicUser } from '@/lib/protocol';
import { AuthError } from './errors';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, hashPassword, verifyPassword } from './passwords';
import { revokeUserSessions } from './sessions';
import type { AccessTokenClaims } from './tokens';
import { ACCOUNT_LIMIT, IP_LIMIT, attemptSucceeded, pruneThrottle, takeAttempt } from './throttle';

/** Users: registration, credential checks and the seeded demo account. */

export const DEMO_USERNAME = 'demo';
export const DEMO_PASSWORD = 'demo-password';

export const credentialsSchema = z.object({
  username: stringField('username')
    .trim()
    .toLowerCase()
    .min(3, { error: 'username must be at least 3 characters' })
    .max(32, { error: 'username must be at most 32 characters' })
    .regex(/^[a-z0-9._-]+$/, { error: 'username may use letters, digits, dot, dash and underscore only' }),
  password: textField('password', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }),
});

export type Credentials = z.infer<typeof credentialsSchema>;

export const toPublicUser = (user: Pick<UserRow, 'id' | 'username'>): PublicUser => ({
  id: user.id,
  username: user.username,
});

/** Creates a user; throws AuthError `username_taken` when the name is in use (the demo account's name included). */
export async function registerUser({ username, password }: Credentials): Promise<PublicUser> {
  if (username !== DEMO_USERNAME) await ensureDemoAccount();
  const db = await getDb();
  const now = Date.now();
  const user = { id: crypto.randomUUID(), username, password_hash: await hashPassword(password) };
  const inserted = await db
    .insertInto('users')
    .values({ ...user, created_at: now, password_changed_at: now })
    .onConflict((conflict) => conflict.column('username').doNothing())
    .executeTakeFirst();
  if (!inserted.numInsertedOrUpdatedRows) throw new AuthError('username_taken', 'That username is taken.');
  return toPublicUser(user);
}

/**
 * Checks a username and password. Unknown user and wrong password fail alike (same error, same time).
 * Lookup is by the normalised username, so the login form can be given any case.
 */
export async function authenticate(username: string, password: string): Promise<PublicUser> {
  await ensureDemoAccount();
  const db = await getDb();
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash'])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
  if (!(await verifyPassword(user?.password_hash, password)) || !user) {
    throw new AuthError('invalid_credentials', 'Wrong username or password.');
  }
  return toPublicUser(user);
}

/**
 * Sign-in with throttling: refuses (429) while the account or the client's address is blocked — without even checking
 * the password, so a blocked guess reveals nothing. Each attempt is counted against both before the password is
 * checked; a success clears the account and takes the attempt back from the address. `clientIp` null: no address
 * worth limiting (see rateLimitAddress).
 * It never touches existing sessions: a flood of failed attempts cannot sign the real user out.
 */
export async function signIn(username: string, password: string, clientIp: string | null): Promise<PublicUser> {
  const accountKey = `login:account:${username.trim().toLowerCase()}`;
  const ipKey = clientIp === null ? null : `login:ip:${clientIp}`;
  await takeAttempt(accountKey, ACCOUNT_LIMIT);
  if (ipKey) await takeAttempt(ipKey, IP_LIMIT);
  const user = await authenticate(username, password);
  await attemptSucceeded(accountKey, ACCOUNT_LIMIT, { clear: true });
  if (ipKey) await attemptSucceeded(ipKey, IP_LIMIT, { clear: false });
  await pruneThrottle();
  return user;
}

/**
 * Changes a password after checking the current one (throttled like sign-in), and signs out every other session of the
 * user (reason `password_changed`); the caller's own session stays.
 */
export async function changePassword(
  claims: AccessTokenClaims,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const db = await getDb();
  const user = await db.selectFrom('users').select(['username']).where('id', '=', claims.sub).executeTakeFirst();
  if (!user) throw new AuthError('invalid_token', 'The access token belongs to no user.');
  // Throttled per session, not with the account's sign-in key: strangers failing to sign in as this user must not be
  // able to stop them from changing their password.
  const key = `password:${claims.sid}`;
  await takeAttempt(key, ACCOUNT_LIMIT);
  await authenticate(user.username, currentPassword);
  await attemptSucceeded(key, ACCOUNT_LIMIT, { clear: true });
  const now = Date.now();
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(newPassword), password_changed_at: now })
    .where('id', '=', claims.sub)
    .execute();
  await revokeUserSessions(claims.sub, { except: claims.sid, reason: 'password_changed' });
}

export async function findUser(id: string): Promise<PublicUser | undefined> {
  const db = await getDb();
  return db.selectFrom('users').select(['id', 'username']).where('id', '=', id).executeTakeFirst();
}

let seeding: Promise<void> | undefined;

/** Seeds the demo account once per process when DEMO_ACCOUNT is on (the default outside production). */
export function ensureDemoAccount(): Promise<void> {
  if (!getConfig().DEMO_ACCOUNT) return Promise.resolve();
  seeding ??= registerUser({ username: DEMO_USERNAME, password: DEMO_PASSWORD })
    .then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof AuthError)) throw error;
      },
    )
    .catch((error: unknown) => {
      seeding = undefined;
      throw error;
    });
  return seeding;
}
