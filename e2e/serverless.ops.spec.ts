import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { SHARED_ENV } from './servers';

// Its own port: E2E_PORT_BASE + 9 (the start-up checks in startup.ops.spec.ts use base + 20 and up).
const PORT = Number(process.env.E2E_PORT_BASE ?? 3210) + 9;
const URL = `http://localhost:${PORT}`;

test.describe('a function on Vercel with a bad configuration', () => {
  test('stays up, answers 503 without detail, shows an unavailable page, and logs the reason once', async ({
    request,
  }) => {
    // VERCEL=1 without DATABASE_URL: what a deployment whose variables changed after its build would run with.
    const child = spawn('node_modules/.bin/next', ['start', '-p', String(PORT)], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        VERCEL: '1',
        APP_ORIGIN: URL,
        AUTH_SECRET: SHARED_ENV.AUTH_SECRET,
        JWT_PRIVATE_KEYS: SHARED_ENV.JWT_PRIVATE_KEYS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let exited = false;
    child.on('exit', () => (exited = true));
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toContain('Ready');

      for (const path of ['/api/auth/login', '/api/auth/register']) {
        const response = await request.post(URL + path, { data: { username: 'demo', password: 'demo-password' } });
        expect(response.status(), path).toBe(503);
        expect(response.headers()['set-cookie']).toBeUndefined();
        const body = await response.text();
        expect(JSON.parse(body)).toMatchObject({ error: 'temporarily_unavailable' });
        expect(body).not.toMatch(/DATABASE_URL|AUTH_SECRET|JWT_PRIVATE_KEYS|postgres/i);
      }
      expect((await request.get(URL + '/api/health')).status()).toBe(503);

      // Every page, public or protected: the edge middleware answers instead of throwing.
      for (const path of ['/', '/login', '/dashboard']) {
        const page = await request.get(URL + path, { maxRedirects: 0 });
        expect(page.status(), path).toBe(503);
        const html = await page.text();
        expect(html).toContain('temporarily unavailable');
        expect(html).not.toContain('DATABASE_URL');
      }

      expect(exited).toBe(false);
      // Logged once per runtime instance (Next's server and its edge sandboxes each say it once), not per request: a
      // second round of requests adds nothing to the log.
      const logged = () => (output.match(/DATABASE_URL is required on Vercel/g) ?? []).length;
      const before = logged();
      expect(before).toBeGreaterThanOrEqual(1);
      for (const path of ['/', '/login', '/dashboard']) await request.get(URL + path, { maxRedirects: 0 });
      await request.post(URL + '/api/auth/login', { data: {} });
      await request.get(URL + '/api/health');
      expect(logged()).toBe(before);
      expect(output).not.toContain(SHARED_ENV.AUTH_SECRET);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
