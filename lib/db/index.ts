import 'server-only';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type RawBuilder } from 'kysely';
import pg from 'pg';
import { ConfigError, getConfig, type Config } from '@/lib/config';
import { StoreUnavailableError, guardDialect, isPostgresFailure, isSqliteFailure } from './errors';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

/**
 * The session store: one Kysely instance over SQLite (embedded default, a file under data/) or Postgres (when
 * DATABASE_URL is set). The choice is configuration only; every query and migration is shared. Nothing connects at
 * import time, so `next build` needs no database. Driver failures leave this module as StoreUnavailableError
 * (errors.ts), so nothing above it reads driver codes or messages.
 */

export { StoreUnavailableError } from './errors';

const INT8_OID = 20;

function openPostgres(config: Config): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    // Serverless instances are many and short-lived: keep each one's share of the server's connections small.
    max: config.DATABASE_POOL_MAX ?? (config.VERCEL ? 2 : 10),
    idleTimeoutMillis: config.VERCEL ? 5_000 : 30_000,
    connectionTimeoutMillis: 5_000,
    types: {
      // Times are bigint epoch milliseconds: well inside Number's exact range.
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (the server went away) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: guardDialect(new PostgresDialect({ pool }), isPostgresFailure) });
}

async function openSqlite(config: Config): Promise<Kysely<Database>> {
  // Loaded only when SQLite is the store: a Vercel build leaves the native module out of its functions
  // (next.config.js), and a Postgres deployment must not need it.
  const { default: Sqlite } = await import('better-sqlite3');
  mkdirSync(dirname(config.DATABASE_PATH), { recursive: true });
  const database = new Sqlite(config.DATABASE_PATH);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  // Kysely prepares every query afresh; the app runs a handful of distinct statements, so keep them prepared.
  const statements = new Map<string, SQLite.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = database.prepare(text);
      if (statements.size < 500) statements.set(text, statement);
    }
    return statement;
  };
  const dialect = new SqliteDialect({ database: { prepare, close: () => database.close() } });
  return new Kysely<Database>({ dialect: guardDialect(dialect, isSqliteFailure) });
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw error;
}

let opening: Promise<Kysely<Database>> | undefined;

/** The store, opened and migrated on first use. Throws StoreUnavailableError when it cannot be reached. */
export function getDb(): Promise<Kysely<Database>> {
  opening ??= (async () => {
    const config = getConfig();
    const db = config.DATABASE_URL ? openPostgres(config) : await openSqlite(config);
    try {
      await migrateToLatest(db);
      return db;
    } catch (error) {
      await db.destroy().catch(() => {});
      throw error;
    }
  })().catch((error: unknown) => {
    opening = undefined;
    // A bad configuration is not a store failure: it is reported (once) as what it is.
    if (error instanceof ConfigError) throw error;
    // Name the driver's own error as the cause, not the boundary's wrapper of it.
    const cause = error instanceof StoreUnavailableError ? error.cause : error;
    throw new StoreUnavailableError('jwt-session-reference: the session store cannot be opened.', { cause });
  });
  return opening;
}

/** Runs a trivial query, so a health check learns whether the store answers. Throws like any store call. */
export async function pingStore(): Promise<void> {
  await sql`select 1`.execute(await getDb());
}

/**
 * The store's clock in epoch milliseconds, as the statement it is part of started: one clock for every instance of a
 * deployment, whatever theirs say (SQLite's is the machine's, which every process sharing its file shares). Constant
 * within a statement, so an index range can be bounded by it (Postgres' now() is stable, clock_timestamp() is not).
 */
export function storeClockMs(db: Kysely<Database>): RawBuilder<number> {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`
    : sql<number>`cast(extract(epoch from now()) * 1000 as bigint)`;
}

/** Closes the store (tests and scripts). */
export async function closeDb(): Promise<void> {
  const current = opening;
  opening = undefined;
  if (current) await (await current).destroy();
}
