import SQLite from 'better-sqlite3';
import pg from 'pg';
import { SERVERS } from './servers';

/** A read-only view of the session store behind a server under test, so "revoked in the store" is checked where it happens. */

export interface StoredSession {
  id: string;
  generation: number;
  current_jti: string;
  previous_jti: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  /** The thumbprint of the DPoP key the session is bound to, if any. */
  dpop_jkt: string | null;
}

export interface Store {
  session(id: string): Promise<StoredSession | undefined>;
  close(): Promise<void>;
}

const SESSION_COLUMNS = 'id, generation, current_jti, previous_jti, revoked_at, revoke_reason, dpop_jkt';

/** The store of the server at baseURL (its Postgres, or its SQLite file opened read-only), per servers.ts. */
export function storeFor(baseURL: string): Store {
  const env: Record<string, string | undefined> | undefined = SERVERS.find((server) => server.url === baseURL)?.env;
  if (env?.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
    return {
      async session(id) {
        const { rows } = await pool.query(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id]);
        const row = rows[0] as StoredSession | undefined;
        return (
          row && {
            ...row,
            generation: Number(row.generation),
            revoked_at: row.revoked_at === null ? null : Number(row.revoked_at),
          }
        );
      },
      close: () => pool.end(),
    };
  }
  if (!env?.DATABASE_PATH) throw new Error(`e2e: no known store behind ${baseURL}`);
  const path = env.DATABASE_PATH;
  // Opened on first read: the server creates the file on its first use of the store, which may be this test's.
  let db: SQLite.Database | undefined;
  return {
    async session(id) {
      db ??= new SQLite(path, { readonly: true, fileMustExist: true });
      return db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(id) as StoredSession | undefined;
    },
    async close() {
      db?.close();
    },
  };
}
