import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The production servers the end-to-end suite runs against (one `next build`, a `next start` each, each with its own
 * data directory): MAIN with the default lifetimes, SHORT_TTL whose access tokens last 3 s, LIFETIMES whose whole
 * sessions last seconds, STORE_DOWN whose Postgres cannot be reached, BEARER with DPoP and DBSC off, NONCE whose proofs
 * need a server nonce, and POSTGRES with a second instance, POSTGRES_B, on the same database when TEST_DATABASE_URL
 * names one (npm test starts one where PostgreSQL is installed), and the revocation suite's own servers (below). All but BEARER run DPOP_MODE=required and DBSC=on, the
 * defaults. The DBSC server, behind a TLS front, is in dbsc.ts.
 */

function newSigningKeys(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify([{ ...privateKey.export({ format: 'jwk' }), kid: 'e2e-key-1' }]);
}

// Playwright loads this module in its runner and again in each worker (which inherit the runner's environment):
// generate the secrets once, in the runner, so every process agrees on them.
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.E2E_JWT_PRIVATE_KEYS ??= newSigningKeys();

export const SHARED_ENV = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  AUTH_SECRET: process.env.E2E_AUTH_SECRET,
  JWT_PRIVATE_KEYS: process.env.E2E_JWT_PRIVATE_KEYS,
  DEMO_ACCOUNT: 'true',
  // Off by default in production; the suite exercises them (LIFETIMES turns them off again).
  DEMO_CONTROLS: 'true',
  // Shorter than the default 30 s, so the suite can step past the grace window without long waits.
  REFRESH_GRACE_SECONDS: '10',
};

export interface Server {
  name: string;
  port: number;
  url: string;
  env: Record<string, string>;
}

function server(name: string, port: number, env: Record<string, string>): Server {
  return { name, port, url: `http://localhost:${port}`, env: { ...SHARED_ENV, ...env } };
}

function dataDir(name: string): string {
  const variable = `E2E_DATA_${name.toUpperCase()}`;
  process.env[variable] ??= mkdtempSync(join(tmpdir(), `jwt-session-e2e-${name}-`));
  return process.env[variable];
}

/**
 * Ports from E2E_PORT_BASE (default 3210) up: base … base + 8, + 14 and + 15 here, base + 9 for the serverless check,
 * base + 10 and + 11 for DBSC (dbsc.ts), + 12 and + 13 for the engines (engines.ts), base + 20 and up for the start-up
 * checks.
 */
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3210);

export const MAIN = server('main', PORT_BASE, { DATABASE_PATH: join(dataDir('main'), 'app.db') });
export const SHORT_TTL = server('short-ttl', PORT_BASE + 1, {
  DATABASE_PATH: join(dataDir('short'), 'app.db'),
  ACCESS_TOKEN_TTL: '3',
  REFRESH_GRACE_SECONDS: '10',
});
/**
 * Whole sessions measured in seconds: idle timeout 6 s, maximum age 16 s (wide enough that a loaded machine's slow page
 * loads do not idle a busy session out: the server's idle deadline is whole seconds, so 6 s means 5–6 s). The demo's
 * controls are off here.
 */
export const LIFETIMES = server('lifetimes', PORT_BASE + 3, {
  DATABASE_PATH: join(dataDir('lifetimes'), 'app.db'),
  DEMO_CONTROLS: 'false',
  ACCESS_TOKEN_TTL: '2',
  REFRESH_TOKEN_TTL: '6',
  SESSION_MAX_AGE: '16',
});
/** A store that cannot be reached: nothing listens on port 9. */
export const STORE_DOWN = server('store-down', PORT_BASE + 4, { DATABASE_URL: 'postgres://app:app@127.0.0.1:9/app' });
/**
 * DPOP_MODE=off and DBSC=off: the contract of before either (tokenType "Bearer", no cnf, `WWW-Authenticate: Bearer`, no
 * DBSC offer).
 */
export const BEARER = server('bearer', PORT_BASE + 5, {
  DATABASE_PATH: join(dataDir('bearer'), 'app.db'),
  DPOP_MODE: 'off',
  DBSC: 'off',
});
/** Every proof needs a fresh server nonce; served at a fixed origin (APP_ORIGIN), so proofs name it whatever the Host. */
export const NONCE = server('nonce', PORT_BASE + 6, {
  DATABASE_PATH: join(dataDir('nonce'), 'app.db'),
  DPOP_NONCE: 'on',
  APP_ORIGIN: `http://localhost:${PORT_BASE + 6}`,
});

/**
 * Two instances of one deployment on one Postgres, as behind a load balancer: one origin (APP_ORIGIN, POSTGRES's URL)
 * that every proof names, and the jti of API-call proofs kept in the store (DPOP_REPLAY=store) so that each instance
 * sees the others'. POSTGRES_B also requires nonces, to show that a nonce issued by another instance is accepted.
 */
const POSTGRES_ENV = process.env.TEST_DATABASE_URL
  ? {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      APP_ORIGIN: `http://localhost:${PORT_BASE + 2}`,
      DPOP_REPLAY: 'store',
    }
  : null;
export const POSTGRES = POSTGRES_ENV ? server('postgres', PORT_BASE + 2, POSTGRES_ENV) : null;
export const POSTGRES_B = POSTGRES_ENV
  ? server('postgres-b', PORT_BASE + 7, { ...POSTGRES_ENV, DPOP_NONCE: 'on' })
  : null;

/**
 * Servers that only revocation.api.spec.ts uses, so that the number of revoked sessions each holds in memory (its
 * /api/health) is that suite's alone: access tokens of 2 s, whose revocations are forgotten 12 s later. One on SQLite;
 * two instances on a Postgres database of their own, TEST_REVOCATION_DATABASE_URL (scripts/with-postgres.sh makes
 * one): the other Postgres servers' revocations are not theirs to hold.
 */
const REVOCATION_ENV = { ACCESS_TOKEN_TTL: '2' };
export const REVOCATION_SQLITE = server('revocation', PORT_BASE + 8, {
  ...REVOCATION_ENV,
  DATABASE_PATH: join(dataDir('revocation'), 'app.db'),
});
const revocationDatabase = process.env.TEST_REVOCATION_DATABASE_URL;
export const REVOCATION_PG = revocationDatabase
  ? [PORT_BASE + 14, PORT_BASE + 15].map((port, index) =>
      server(`revocation-pg-${'ab'[index]}`, port, { ...REVOCATION_ENV, DATABASE_URL: revocationDatabase }),
    )
  : [];

/** Every server the suite starts. */
export const SERVERS: Server[] = [
  MAIN,
  SHORT_TTL,
  LIFETIMES,
  STORE_DOWN,
  BEARER,
  NONCE,
  ...(POSTGRES && POSTGRES_B ? [POSTGRES, POSTGRES_B] : []),
  REVOCATION_SQLITE,
  ...REVOCATION_PG,
];
