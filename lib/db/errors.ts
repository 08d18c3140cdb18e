import 'server-only';
import type {
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * The store's failures as the rest of the app sees them: a driver error that means the store cannot serve (down,
 * unreachable, locked, out of resources) becomes a StoreUnavailableError here, at the lib/db boundary, and is answered
 * with 503. Anything else (a constraint, a bug in a query) passes through unchanged.
 */

/** The session store cannot be reached or cannot serve; answered with 503, never a bypass. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** SQLite result codes that describe the database file or its lock, not the query. */
const SQLITE_FAILURES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|NOMEM|PROTOCOL|PERM|AUTH)/;
/** Node's network errors, met while talking to Postgres. */
const NETWORK_FAILURES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/;
/** SQLSTATE classes that describe the server or the connection: 08 connection, 28 authorisation, 3D no database,
 * 40 transaction rollback (serialization failure, deadlock), 53 resources, 57 operator intervention (shutdown),
 * 58 system error. */
const POSTGRES_FAILURE_CLASSES = new Set(['08', '28', '3D', '40', '53', '57', '58']);

const codeOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Whether a SQLite driver error means the store failed. */
export function isSqliteFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && SQLITE_FAILURES.test(code);
}

/**
 * Whether a Postgres driver error means the store failed: a network error, an SQLSTATE of a failure class, or an
 * error pg raises without any code (its "Connection terminated", pool timeouts).
 */
export function isPostgresFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError) return false;
  const code = codeOf(error);
  if (code === undefined) return true;
  if (NETWORK_FAILURES.test(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && POSTGRES_FAILURE_CLASSES.has(code.slice(0, 2));
}

type IsFailure = (error: unknown) => boolean;

async function guarded<T>(isFailure: IsFailure, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreUnavailableError || !isFailure(error)) throw error;
    throw new StoreUnavailableError('jwt-session-reference: the session store failed.', { cause: error });
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly isFailure: IsFailure,
  ) {}

  executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    return guarded(this.isFailure, () => this.inner.executeQuery<R>(query));
  }

  streamQuery<R>(query: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number) {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

const unwrap = (connection: DatabaseConnection) =>
  connection instanceof GuardedConnection ? connection.inner : connection;

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly isFailure: IsFailure,
  ) {}

  init(): Promise<void> {
    return guarded(this.isFailure, () => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Not getting a connection at all is always the store's failure, whatever the driver calls it.
    const connection = await guarded(
      () => true,
      () => this.inner.acquireConnection(),
    );
    return new GuardedConnection(connection, this.isFailure);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guarded(this.isFailure, () => this.inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guarded(this.isFailure, () => this.inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guarded(this.isFailure, () => this.inner.rollbackTransaction(unwrap(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await guarded(this.isFailure, () => this.savepointStep('savepoint', connection, name, compile));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await guarded(this.isFailure, () => this.savepointStep('rollbackToSavepoint', connection, name, compile));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await guarded(this.isFailure, () => this.savepointStep('releaseSavepoint', connection, name, compile));
  }

  private savepointStep(
    step: 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint',
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const run = this.inner[step];
    if (!run) throw new Error(`jwt-session-reference: the store's driver does not support ${step}.`);
    return run.call(this.inner, unwrap(connection), name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** A dialect whose driver reports store failures as {@link StoreUnavailableError}. */
export function guardDialect(dialect: Dialect, isFailure: IsFailure): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver(), isFailure),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
