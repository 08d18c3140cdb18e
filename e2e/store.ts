import SQLite from 'better-sqlite3';
import pg from 'pg';
import { SERVERS } from './servers';

/**
 * A view of the session store behind a server under test, so "revoked in the store" is checked where it happens; its
 * one write, {@link Store.ageSignIn}, stands in for the passage of time (a sign-in made long ago).
 */

export interface StoredSession {
  id: string;
  generation: number;
  current_jti: string;
  previous_jti: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  /** The thumbprint of the DPoP key the session is bound to, if any. */
  dpop_jkt: string | null;
  /** Epoch seconds of the session's last sign-in or re-authentication. */
  auth_time: number;
}

export interface Store {
  session(id: string): Promise<StoredSession | undefined>;
  /** Moves the session's sign-in `seconds` into the past (its next tokens carry that auth_time). */
  ageSignIn(id: string, seconds: number): Promise<void>;
  close(): Promise<void>;
}

const SESSION_COLUMNS = 'id, generation, current_jti, previous_jti, revoked_at, revoke_reason, dpop_jkt, auth_time';
const AGE_SIGN_IN = 'UPDATE sessions SET auth_time = auth_time - ';

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
            auth_time: Number(row.auth_time),
          }
        );
      },
      async ageSignIn(id, seconds) {
        await pool.query(`${AGE_SIGN_IN}$1 WHERE id = $2`, [seconds, id]);
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
    async ageSignIn(id, seconds) {
      const writable = new SQLite(path, { fileMustExist: true, timeout: 5000 });
      try {
        writable.prepare(`${AGE_SIGN_IN}? WHERE id = ?`).run(seconds, id);
      } finally {
        writable.close();
      }
    },
    async close() {
      db?.close();
    },
  };
}
