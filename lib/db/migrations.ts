import 'server-only';
import { SqliteAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Schema migrations, in order. They are written with Kysely's schema builder so the same code migrates SQLite and
 * Postgres; listed statically (not read from a folder) so bundlers see them.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('current_jti', 'text', (c) => c.notNull())
        .addColumn('current_iat', 'bigint', (c) => c.notNull())
        .addColumn('current_exp', 'bigint', (c) => c.notNull())
        .addColumn('previous_jti', 'text')
        .addColumn('previous_iat', 'bigint')
        .addColumn('previous_exp', 'bigint')
        .addColumn('rotated_at', 'bigint')
        .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('access_ttl', 'integer')
        .addColumn('revoked_at', 'bigint')
        .addColumn('revoke_reason', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('security_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text')
        .addColumn('session_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('security_events_user_id').on('security_events').column('user_id').execute();
      await db.schema
        .createTable('throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('blocked_until', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('throttle_updated_at').on('throttle').column('updated_at').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['throttle', 'security_events', 'sessions', 'users']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  // The live demo's per-session lifetime and its copy of the predecessor's times leave the core's table.
  '0002_sessions_core_only': {
    async up(db: Kysely<unknown>) {
      for (const column of ['previous_iat', 'previous_exp', 'access_ttl']) {
        await db.schema.alterTable('sessions').dropColumn(column).execute();
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('previous_iat', 'bigint').execute();
      await db.schema.alterTable('sessions').addColumn('previous_exp', 'bigint').execute();
      await db.schema.alterTable('sessions').addColumn('access_ttl', 'integer').execute();
    },
  },
  // DPoP: a session remembers the key it is bound to; token endpoints remember the proofs they accepted.
  '0003_dpop': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('dpop_jkt', 'text').execute();
      await db.schema
        .createTable('dpop_proofs')
        .addColumn('jkt', 'text', (c) => c.notNull())
        .addColumn('jti', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dpop_proofs_pkey', ['jkt', 'jti'])
        .execute();
      await db.schema.createIndex('dpop_proofs_expires_at').on('dpop_proofs').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('dpop_proofs').ifExists().execute();
      await db.schema.alterTable('sessions').dropColumn('dpop_jkt').execute();
    },
  },
  // DBSC: the device's public key, and when the browser last proved it.
  '0004_dbsc': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('dbsc_jwk', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('dbsc_proved_at', 'bigint').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').dropColumn('dbsc_proved_at').execute();
      await db.schema.alterTable('sessions').dropColumn('dbsc_jwk').execute();
    },
  },
  // The table of one-time proofs holds DBSC challenges as well as DPoP jtis: it is named for both. The per-session
  // access-token lifetime is a core feature again (lib/auth/access-lifetime.ts), where 0002 had taken it out. The
  // refresh limit moves from the throttle table into the session's row, so the rotating UPDATE counts itself.
  '0005_used_proofs_access_ttl_refresh_count': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('dpop_proofs').renameTo('used_proofs').execute();
      await db.schema.alterTable('sessions').addColumn('access_ttl', 'integer').execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('refresh_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('refresh_window_start', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`delete from throttle where key like 'refresh:%'`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').dropColumn('refresh_window_start').execute();
      await db.schema.alterTable('sessions').dropColumn('refresh_count').execute();
      await db.schema.alterTable('sessions').dropColumn('access_ttl').execute();
      await db.schema.alterTable('used_proofs').renameTo('dpop_proofs').execute();
    },
  },
  // Passkeys: their table; accounts made with a passkey only have no password; a session remembers how it signed in
  // (existing sessions all signed in with a password, at their creation).
  '0006_passkeys': {
    async up(db: Kysely<unknown>) {
      await setPasswordRequired(db, false);
      await db.schema
        .createTable('passkeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', 'bigint', (c) => c.notNull())
        .addColumn('transports', 'text')
        .addColumn('device_type', 'text', (c) => c.notNull())
        .addColumn('backed_up', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .execute();
      await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('amr', 'text', (c) => c.notNull().defaultTo('pwd'))
        .execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('auth_time', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update sessions set auth_time = created_at / 1000`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').dropColumn('auth_time').execute();
      await db.schema.alterTable('sessions').dropColumn('amr').execute();
      await db.schema.dropTable('passkeys').ifExists().execute();
      // Accounts without a password cannot exist before 0006: they go (their sessions with them).
      await sql`delete from users where password_hash is null`.execute(db);
      await setPasswordRequired(db, true);
    },
  },
  // The store's own clock at each revocation, indexed, so that every instance can ask for the revocations newer than
  // the last it saw (lib/auth/revocations.ts) in one range scan, whatever its own clock says. Sessions revoked before
  // it take their revoked_at.
  '0007_revoked_store_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('revoked_store_at', 'bigint').execute();
      await sql`update sessions set revoked_store_at = revoked_at where revoked_at is not null`.execute(db);
      await db.schema
        .createIndex('sessions_revoked_store_at')
        .on('sessions')
        .column('revoked_store_at')
        .where(sql.ref('revoked_store_at'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('sessions_revoked_store_at').execute();
      await db.schema.alterTable('sessions').dropColumn('revoked_store_at').execute();
    },
  },
};

/**
 * Makes users.password_hash NOT NULL or nullable. Postgres alters the column; SQLite cannot, so the table is rebuilt
 * the way SQLite documents (foreign keys off while the table is swapped: the sessions that reference users stay).
 * SQLite migrations run outside a transaction (Kysely: no transactional DDL there), which the pragma needs.
 */
async function setPasswordRequired(db: Kysely<unknown>, required: boolean): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table users alter column password_hash ${sql.raw(required ? 'set' : 'drop')} not null`.execute(db);
    return;
  }
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.schema
      .createTable('users_next')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => (required ? c.notNull() : c))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into users_next (id, username, password_hash, created_at, password_changed_at)
      select id, username, password_hash, created_at, password_changed_at from users`.execute(db);
    await db.schema.dropTable('users').execute();
    await db.schema.alterTable('users_next').renameTo('users').execute();
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
