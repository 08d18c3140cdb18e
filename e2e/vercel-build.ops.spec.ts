import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * `next build` as Vercel runs it (VERCEL=1, the project's variables in the environment) refuses a bad configuration
 * before compiling anything, naming each bad variable; with everything set it builds.
 *
 * The builds run in a copy of the project under the system temp dir (node_modules hard-linked where the file system
 * allows: ~1 s), so they never touch the `.next` that `npm test`'s own build and the e2e servers use. In the ops project,
 * so that the one full build overlaps the browser tests' waiting; in order, in one worker (they share the copy).
 */

const ROOT = join(__dirname, '..');
/** Generated or machine-local: not part of what Vercel builds. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.next',
  '.vercel',
  '.bench',
  'data',
  'test-results',
  'playwright-report',
]);

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const GOOD = {
  AUTH_SECRET: 'vercel-build-test-0123456789-abcdefghijklmnop',
  JWT_PRIVATE_KEYS: JSON.stringify([{ ...privateKey.export({ format: 'jwk' }), kid: 'build-test' }]),
  // Never connected to: the build needs no database.
  DATABASE_URL: 'postgres://app:app@127.0.0.1:9/app',
  // What DPoP proofs name (htu): required on Vercel with DPOP_MODE=required, the default.
  APP_ORIGIN: 'https://app.example.com',
};

let copy: string;

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-session-vercel-build-'));
  // A developer's .env files would fill in what a case leaves out: only the environment given counts.
  const copied = (source: string) =>
    source === ROOT || (!SKIPPED.has(basename(source)) && !basename(source).startsWith('.env'));
  cpSync(ROOT, dir, { recursive: true, filter: copied });
  // Hard links cost a second; a symlink would not do (Turbopack refuses a node_modules outside the project root).
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  if (linked.status !== 0) cpSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  return dir;
}

function build(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(copy, 'node_modules/.bin/next'), ['build'], {
      cwd: copy,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        VERCEL: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test.describe('next build on Vercel', () => {
  test.describe.configure({ mode: 'default' });
  test.beforeAll(() => {
    copy = copyProject();
  });
  test.afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  const refused: [string, Record<string, string | undefined>, RegExp][] = [
    ['no DATABASE_URL', { ...GOOD, DATABASE_URL: undefined }, /DATABASE_URL is required on Vercel/],
    [
      'no APP_ORIGIN with DPoP on',
      { ...GOOD, APP_ORIGIN: undefined },
      /APP_ORIGIN is required on Vercel with DPOP_MODE=required/,
    ],
    ['no AUTH_SECRET', { ...GOOD, AUTH_SECRET: undefined }, /AUTH_SECRET is required/],
    ['a short AUTH_SECRET', { ...GOOD, AUTH_SECRET: 'too-short' }, /AUTH_SECRET must be at least 32 characters/],
    [
      'a placeholder AUTH_SECRET',
      { ...GOOD, AUTH_SECRET: 'changeme'.repeat(5) },
      /AUTH_SECRET looks like a placeholder/,
    ],
    ['no JWT_PRIVATE_KEYS', { ...GOOD, JWT_PRIVATE_KEYS: undefined }, /JWT_PRIVATE_KEYS is required/],
    [
      'malformed JWT_PRIVATE_KEYS',
      { ...GOOD, JWT_PRIVATE_KEYS: '[{"kty":"EC"}]' },
      /JWT_PRIVATE_KEYS must be a JSON array/,
    ],
  ];

  for (const [name, env, message] of refused) {
    test(`refuses ${name} before compiling, naming the variable`, async () => {
      const { code, output } = await build(env);
      expect(code, output).toBe(1);
      expect(output).toMatch(message);
      expect(output).not.toContain(GOOD.AUTH_SECRET);
      // Refused while loading next.config.js: nothing compiled, nothing written.
      expect(output).not.toContain('Creating an optimized production build');
      expect(existsSync(join(copy, '.next'))).toBe(false);
    });
  }

  test('builds with everything set, leaving better-sqlite3 out of the functions', async () => {
    test.setTimeout(240_000);
    const { code, output } = await build(GOOD);
    expect(code, output).toBe(0);
    // What each route's function would ship (Next's trace of its files): the native SQLite module is not among them.
    const trace = JSON.parse(readFileSync(join(copy, '.next/server/app/api/auth/login/route.js.nft.json'), 'utf8')) as {
      files: string[];
    };
    expect(trace.files.some((file) => file.includes('node_modules/pg/'))).toBe(true);
    // (Only the stub chunk that would require it, lazily, remains: lib/db never loads it with DATABASE_URL set.)
    expect(trace.files.filter((file) => file.includes('better-sqlite3') && !file.includes('chunks/'))).toEqual([]);
  });
});
