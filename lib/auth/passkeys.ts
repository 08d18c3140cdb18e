import 'server-only';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { sql, type Kysely, type Transaction } from 'kysely';
import { getDb } from '@/lib/db';
import type { Database, PasskeyRow } from '@/lib/db/schema';
import type { PasskeyView, PublicUser } from '@/lib/protocol';
import { AuthError } from './errors';
import { recordSecurityEvent } from './security-events';
import type { Amr } from './session-tokens';
import {
  counterRegressed,
  verifyAssertion,
  type NewCredential,
  type RelyingParty,
  type StoredCredential,
} from './webauthn';

/**
 * The passkeys table: each credential belongs to exactly one user (its id is the primary key), and every change is
 * scoped to its owner, so no user can read, rename or delete another's. The one place an assertion is accepted
 * ({@link acceptAssertion}): signature, counter, last use.
 */

/**
 * The amr of a passkey sign-in (RFC 8176): `hwk` for a single-device credential (its key never leaves the
 * authenticator's hardware), `swk` for a backup-eligible, synced one (its key is copied between devices by software),
 * and `user` for the user verification every assertion here must carry.
 */
export const passkeyAmr = (deviceType: string): Amr[] => [deviceType === 'multiDevice' ? 'swk' : 'hwk', 'user'];

const storedCredential = (row: Pick<PasskeyRow, 'id' | 'public_key' | 'counter' | 'transports'>): StoredCredential => ({
  id: row.id,
  publicKey: row.public_key,
  counter: Number(row.counter),
  transports: row.transports ? (JSON.parse(row.transports) as string[]) : [],
});

/** The user's passkeys, for excludeCredentials and allowCredentials. */
export async function credentialsOf(userId: string): Promise<StoredCredential[]> {
  const db = await getDb();
  const rows = await db
    .selectFrom('passkeys')
    .select(['id', 'public_key', 'counter', 'transports'])
    .where('user_id', '=', userId)
    .execute();
  return rows.map(storedCredential);
}

/** Inserts a verified credential for a user; false when the credential is registered already (to anyone). */
export async function insertPasskey(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
  credential: NewCredential,
  name: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .insertInto('passkeys')
    .values({
      id: credential.id,
      user_id: userId,
      public_key: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports.length ? JSON.stringify(credential.transports) : null,
      device_type: credential.deviceType,
      backed_up: credential.backedUp ? 1 : 0,
      name,
      created_at: now,
      last_used_at: null,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Accepts an assertion by a stored passkey (of `userId` when given: re-authentication): the credential must exist
 * (and be that user's), its user handle match, the assertion verify, and the signature counter move forward. A counter
 * that does not is refused and recorded (`passkey_counter_regressed`). On success the counter, backup state and last
 * use are stored — conditionally on the counter read, so two uses of one assertion cannot both pass. Throws 401
 * `invalid_credentials` for every refusal alike.
 */
export async function acceptAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  { userId }: { userId?: string } = {},
): Promise<{ user: PublicUser; amr: Amr[] }> {
  const refused = () => new AuthError('invalid_credentials', 'The passkey was not accepted.');
  const db = await getDb();
  const row = await db
    .selectFrom('passkeys')
    .innerJoin('users', 'users.id', 'passkeys.user_id')
    .select([
      'passkeys.id',
      'passkeys.public_key',
      'passkeys.counter',
      'passkeys.transports',
      'passkeys.device_type',
      'users.id as user_id',
      'users.username',
    ])
    .where('passkeys.id', '=', response.id)
    .executeTakeFirst();
  if (!row || (userId !== undefined && row.user_id !== userId)) throw refused();
  const handle = response.response.userHandle;
  if (handle !== undefined && isoUint8Array.toUTF8String(isoBase64URL.toBuffer(handle)) !== row.user_id)
    throw refused();
  const stored = storedCredential(row);
  const assertion = await verifyAssertion(rp, response, stored, expectedChallenge);
  const regressed = async () => {
    await recordSecurityEvent(
      'passkey_counter_regressed',
      { userId: row.user_id, sessionId: null },
      {
        credentialId: row.id,
        stored: stored.counter,
        presented: assertion.newCounter,
      },
    );
    return refused();
  };
  if (counterRegressed(stored.counter, assertion.newCounter)) throw await regressed();
  const updated = await db
    .updateTable('passkeys')
    .set({ counter: assertion.newCounter, backed_up: assertion.backedUp ? 1 : 0, last_used_at: Date.now() })
    .where('id', '=', row.id)
    .where('counter', '=', stored.counter)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== BigInt(1) && assertion.newCounter > 0) throw await regressed();
  return { user: { id: row.user_id, username: row.username }, amr: passkeyAmr(row.device_type) };
}

/** The user's passkeys for the Sessions page, newest first, each with its last counter regression, if any. */
export async function listPasskeys(userId: string): Promise<PasskeyView[]> {
  const db = await getDb();
  const rows = await db
    .selectFrom('passkeys')
    .select(['id', 'name', 'created_at', 'last_used_at', 'device_type'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  const events = await db
    .selectFrom('security_events')
    .select(['detail', 'created_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'passkey_counter_regressed')
    .execute();
  const regressed = new Map<string, number>();
  for (const event of events) {
    const id = (JSON.parse(event.detail ?? '{}') as { credentialId?: string }).credentialId;
    if (id) regressed.set(id, Math.max(regressed.get(id) ?? 0, Number(event.created_at)));
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    synced: row.device_type === 'multiDevice',
    counterRegressedAt: regressed.get(row.id) ?? null,
  }));
}

/** Renames one of the user's passkeys; 404 when it is not theirs. */
export async function renamePasskey(userId: string, id: string, name: string): Promise<void> {
  const db = await getDb();
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (result.numUpdatedRows !== BigInt(1)) throw new AuthError('not_found', 'No such passkey.');
}

/**
 * Deletes one of the user's passkeys — never another user's (404), and never the last one of an account without a
 * password (409 `last_passkey`): the condition is part of the DELETE, so two concurrent deletions cannot both pass it.
 */
export async function removePasskey(userId: string, id: string): Promise<void> {
  const db = await getDb();
  const result = await db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('users')
            .select('users.id')
            .where('users.id', '=', userId)
            .where('users.password_hash', 'is not', null),
        ),
        eb(
          eb
            .selectFrom('passkeys as others')
            .select(sql<number>`count(*)`.as('n'))
            .where('others.user_id', '=', userId),
          '>',
          1,
        ),
      ]),
    )
    .executeTakeFirst();
  if (result.numDeletedRows === BigInt(1)) return;
  const exists = await db
    .selectFrom('passkeys')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!exists) throw new AuthError('not_found', 'No such passkey.');
  throw new AuthError(
    'last_passkey',
    'This account has no password: its last passkey is its only way in, so it cannot be deleted. Add another passkey first.',
  );
}
