import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations';

// SQLite cannot drop a NOT NULL: 0006 rebuilds the users table, with foreign keys on as the app opens the store. The
// sessions that reference the users must come through it (a cascade would sign everybody out).
describe('migration 0006_passkeys on SQLite', () => {
  let db: Kysely<unknown> | undefined;
  afterEach(async () => db?.destroy());

  it('makes password_hash nullable and keeps every user and session; its down migration restores the rule', async () => {
    const database = new Sqlite(':memory:');
    database.pragma('foreign_keys = ON');
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('0005_used_proofs_access_ttl_refresh_count')).error).toBeUndefined();
    await sql`insert into users values ('u1', 'alice', 'hash', 1000, 1000)`.execute(db);
    await sql`insert into sessions (id, user_id, current_jti, current_iat, current_exp, created_at, last_used_at, absolute_expires_at)
      values ('s1', 'u1', 'j', 1, 2, 5000, 5000, 9000)`.execute(db);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const { rows } = await sql<{
      amr: string;
      auth_time: number;
    }>`select amr, auth_time from sessions where id = 's1'`.execute(db);
    expect(rows).toEqual([{ amr: 'pwd', auth_time: 5 }]);
    await sql`insert into users values ('u2', 'bob', null, 1000, 1000)`.execute(db);
    expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
    // The foreign key still holds: a user's sessions go with it.
    await sql`delete from users where id = 'u1'`.execute(db);
    expect((await sql`select id from sessions`.execute(db)).rows).toEqual([]);

    expect((await migrator.migrateTo('0005_used_proofs_access_ttl_refresh_count')).error).toBeUndefined();
    expect((await sql`select username from users`.execute(db)).rows).toEqual([]);
    await expect(sql`insert into users values ('u3', 'carol', null, 1, 1)`.execute(db)).rejects.toThrow(/NOT NULL/);
  });
});

describe('migration 0007_revoked_store_at on SQLite', () => {
  let db: Kysely<unknown> | undefined;
  afterEach(async () => db?.destroy());

  it('gives sessions revoked before it their revoked_at, and the poll for new revocations a range scan of its index', async () => {
    const database = new Sqlite(':memory:');
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('0006_passkeys')).error).toBeUndefined();
    await sql`insert into users values ('u1', 'alice', 'hash', 1000, 1000)`.execute(db);
    await sql`insert into sessions (id, user_id, current_jti, current_iat, current_exp, created_at, last_used_at, absolute_expires_at, revoked_at)
      values ('open', 'u1', 'j', 1, 2, 5000, 5000, 9000, null), ('ended', 'u1', 'j', 1, 2, 5000, 5000, 9000, 7000)`.execute(
      db,
    );

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect((await sql`select id, revoked_store_at from sessions order by id`.execute(db)).rows).toEqual([
      { id: 'ended', revoked_store_at: 7000 },
      { id: 'open', revoked_store_at: null },
    ]);
    const plan = await sql<{ detail: string }>`explain query plan
      select id from sessions where revoked_store_at > 1 and revoked_store_at > 2`.execute(db);
    expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(/USING INDEX sessions_revoked_store_at/);

    expect((await migrator.migrateDown()).error).toBeUndefined();
    await expect(sql`select revoked_store_at from sessions`.execute(db)).rejects.toThrow(/no such column/);
  });
});
