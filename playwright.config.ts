import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import CHROMIUM from './e2e/chromium.json';
import { DBSC_CHROMIUM_ARGS, DBSC_SERVER, TLS_FRONT } from './e2e/dbsc';
import { ENGINES, ENGINES_TLS_FRONT, installedEngines, type EngineName } from './e2e/engines';
import { BEARER, MAIN, POSTGRES, SERVERS } from './e2e/servers';

// Debian's Chromium where it is installed (Playwright cannot download its own browsers here): its headless shell when
// present — the old headless mode, much lighter on a 2-core machine than the full browser run headless — else the
// full browser. PLAYWRIGHT_CHROMIUM overrides; elsewhere Playwright's own browser is used. The paths and flags are in
// e2e/chromium.json, which the benchmark's time-to-content section launches with too.
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM ?? CHROMIUM.debianPaths.find((path) => existsSync(path));

const launchOptions = { executablePath: chromiumPath, args: CHROMIUM.args };

// DBSC runs only in the full browser (the headless shell has no DBSC), with its flags; so do the CSP report tests
// (csp-reports.dbsc.spec.ts: Chromium delivers Reporting API reports from the full browser, over HTTPS, only).
const DBSC_CHROMIUM =
  process.env.PLAYWRIGHT_DBSC_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Firefox ESR and WebKitGTK come from Debian (.ci/run installs them); nothing is downloaded. CI requires both; elsewhere
// a missing one is left out, and said so once.
const engines = installedEngines();
if (engines.missing.length > 0 && !process.env.TEST_WORKER_INDEX) {
  const message = `engines: not installed, their projects are left out: apt-get install ${engines.missing.join(' ')}`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

export default defineConfig<object, { engine: EngineName }>({
  testDir: './e2e',
  fullyParallel: true,
  workers: 4,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    launchOptions,
    // The countdown bars animate without end; headless Chromium paints them in software, which costs CPU the suite
    // needs (the app honours prefers-reduced-motion).
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
  },
  projects: [
    // First: their tests are the longest-running ones (a browser each), so they start while the rest fill the workers.
    ...engines.present.map((engine) => ({ name: engine, testMatch: /.*\.engines\.spec\.ts/, use: { engine } })),
    { name: 'ops', testMatch: /.*\.ops\.spec\.ts/ },
    { name: 'browser', testMatch: /.*\.browser\.spec\.ts/, use: { baseURL: MAIN.url } },
    { name: 'api-sqlite', testMatch: /.*\.api\.spec\.ts/, use: { baseURL: MAIN.url } },
    ...(POSTGRES ? [{ name: 'api-postgres', testMatch: /.*\.api\.spec\.ts/, use: { baseURL: POSTGRES.url } }] : []),
    // DPOP_MODE=off keeps the Bearer contract: the suites that define it (sign-in and its token body, the access token
    // and its challenges, refresh rotation), a third time; the others test transport and throttling, the same either way.
    { name: 'api-bearer', testMatch: /(auth|tokens|refresh)\.api\.spec\.ts/, use: { baseURL: BEARER.url } },
    {
      name: 'dbsc',
      testMatch: /.*\.dbsc\.spec\.ts/,
      use: {
        baseURL: DBSC_SERVER.url,
        // --short-reporting-delay: Reporting API reports (CSP violations) go out within 100 ms instead of a minute.
        launchOptions: {
          executablePath: DBSC_CHROMIUM,
          args: [...launchOptions.args, ...DBSC_CHROMIUM_ARGS, '--short-reporting-delay'],
        },
      },
    },
  ],
  webServer: [
    ...[...SERVERS, DBSC_SERVER, ENGINES].map((server) => ({
      command: `node_modules/.bin/next start -p ${server.port}`,
      url: `http://localhost:${server.port}/login`,
      env: server.env,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    })),
    ...[TLS_FRONT, ENGINES_TLS_FRONT].map((front) => ({ ...front, reuseExistingServer: false, timeout: 60_000 })),
  ],
});
