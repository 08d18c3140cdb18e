import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { SHARED_ENV } from './servers';

/** Each case its own port (the cases run in parallel): E2E_PORT_BASE + 20 and up. */
const PORT = Number(process.env.E2E_PORT_BASE ?? 3210) + 20;

/** Starts the production server with an environment and waits for it to exit (or gives up after 20 s). */
function start(
  env: Record<string, string | undefined>,
  port: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('node_modules/.bin/next', ['start', '-p', String(port)], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A well-formed JWK whose x coordinate belongs to another key: parses, but is no key. */
function brokenKey(): string {
  const [key] = JSON.parse(SHARED_ENV.JWT_PRIVATE_KEYS!) as { x: string }[];
  return JSON.stringify([{ ...key, x: key!.x.slice(0, -4) + (key!.x.endsWith('AAAA') ? 'BBBB' : 'AAAA') }]);
}

const good = { AUTH_SECRET: SHARED_ENV.AUTH_SECRET, JWT_PRIVATE_KEYS: SHARED_ENV.JWT_PRIVATE_KEYS };

test.describe('a production server refuses to start on bad configuration', () => {
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    ['no AUTH_SECRET', { ...good, AUTH_SECRET: undefined }, /AUTH_SECRET is required/],
    ['a short AUTH_SECRET', { ...good, AUTH_SECRET: 'too-short' }, /AUTH_SECRET must be at least 32 characters/],
    ['a placeholder AUTH_SECRET', { ...good, AUTH_SECRET: 'x'.repeat(48) }, /AUTH_SECRET looks like a placeholder/],
    [
      'a key that is not a P-256 key',
      { ...good, JWT_PRIVATE_KEYS: brokenKey() },
      /JWT_PRIVATE_KEYS has a key .* not a valid P-256 key/,
    ],
    ['no JWT_PRIVATE_KEYS with ES256', { ...good, JWT_PRIVATE_KEYS: undefined }, /JWT_PRIVATE_KEYS is required/],
    [
      'malformed JWT_PRIVATE_KEYS',
      { ...good, JWT_PRIVATE_KEYS: '[{"kty":"EC"}]' },
      /JWT_PRIVATE_KEYS must be a JSON array/,
    ],
    [
      'access TTL not shorter than refresh TTL',
      { ...good, ACCESS_TOKEN_TTL: '900', REFRESH_TOKEN_TTL: '600' },
      /ACCESS_TOKEN_TTL must be shorter/,
    ],
    ['an unknown DPOP_MODE', { ...good, DPOP_MODE: 'optional' }, /DPOP_MODE must be required .* or off/],
    [
      'an APP_ORIGIN with a path',
      { ...good, APP_ORIGIN: 'https://app.example.com/app' },
      /APP_ORIGIN must be an origin only/,
    ],
    ['an unknown DBSC value', { ...good, DBSC: 'sometimes' }, /DBSC/],
  ];

  for (const [index, [name, env, message]] of cases.entries()) {
    test(`${name}: exits non-zero naming the variable`, async () => {
      const { code, output } = await start(env, PORT + index);
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(output).toMatch(message);
      expect(output).not.toContain(SHARED_ENV.AUTH_SECRET);
    });
  }
});
