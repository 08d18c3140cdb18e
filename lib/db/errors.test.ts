import { describe, expect, it } from 'vitest';
import { isPostgresFailure, isSqliteFailure } from './errors';

const withCode = (code: string | undefined, message = 'x') => Object.assign(new Error(message), code ? { code } : {});

describe('store failures at the lib/db boundary', () => {
  it('counts SQLite lock, I/O and file errors, not constraints or bugs', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_FULL']) {
      expect(isSqliteFailure(withCode(code)), code).toBe(true);
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_MISMATCH', undefined]) {
      expect(isSqliteFailure(withCode(code)), String(code)).toBe(false);
    }
  });

  it('counts Postgres connection, resource and shutdown errors, and pg’s code-less connection errors, not constraints', () => {
    for (const code of ['ECONNREFUSED', '08006', '53300', '57P01', '3D000', '28P01', undefined]) {
      expect(isPostgresFailure(withCode(code, 'Connection terminated')), String(code)).toBe(true);
    }
    for (const code of ['23505', '42601', '22P02']) expect(isPostgresFailure(withCode(code)), code).toBe(false);
    expect(isPostgresFailure(new TypeError('bug'))).toBe(false);
  });
});
