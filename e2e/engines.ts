import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DBSC_CERTS } from './dbsc';
import { SHARED_ENV, type Server } from './servers';

/**
 * The engines beside Chromium, from Debian's packages (nothing is downloaded): Firefox ESR (`firefox-esr`), driven by
 * puppeteer-core over WebDriver BiDi, and WebKitGTK's MiniBrowser (`webkit2gtk-driver`), driven by selenium-webdriver
 * through WebKitWebDriver on an Xvfb display (`xvfb`). Paths can be overridden with E2E_FIREFOX and E2E_MINIBROWSER.
 */

/** The engines the cross-engine flows run in: one Playwright project each. */
export type EngineName = 'firefox' | 'webkit';

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)));

/** Firefox ESR's binary. */
export const FIREFOX = process.env.E2E_FIREFOX ?? '/usr/bin/firefox-esr';

/** WebKitGTK's MiniBrowser: not on PATH, under the architecture's library directory. */
export const MINIBROWSER =
  process.env.E2E_MINIBROWSER ??
  ['x86_64-linux-gnu', 'aarch64-linux-gnu']
    .map((triplet) => `/usr/lib/${triplet}/webkit2gtk-4.1/MiniBrowser`)
    .find((path) => existsSync(path)) ??
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** What each engine needs on this machine, and the Debian package that brings it. */
const NEEDS: Record<EngineName, { present: () => boolean; packages: string }> = {
  firefox: { present: () => existsSync(FIREFOX), packages: 'firefox-esr' },
  // The Korean flow compiles a ko_KR locale for MiniBrowser from the `locales` package's sources.
  webkit: {
    present: () =>
      existsSync(MINIBROWSER) &&
      onPath('WebKitWebDriver') &&
      onPath('Xvfb') &&
      existsSync('/usr/share/i18n/locales/ko_KR'),
    packages: 'webkit2gtk-driver xvfb locales',
  },
};

/** The engines whose binaries are installed, and the apt packages of those that are not. */
export function installedEngines(): { present: EngineName[]; missing: string[] } {
  const names = Object.keys(NEEDS) as EngineName[];
  return {
    present: names.filter((name) => NEEDS[name].present()),
    missing: names.filter((name) => !NEEDS[name].present()).map((name) => NEEDS[name].packages),
  };
}

const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3210);
/** Base + 12 (`next start`) and + 13 (its TLS front). */
const HTTP_PORT = PORT_BASE + 12;
const HTTPS_PORT = PORT_BASE + 13;

/**
 * The server both engines use: HTTPS through a TLS front (WebKitGTK refuses `Secure` cookies on plain
 * http://localhost, so the `__Host-` refresh cookie would never stick), with the DBSC suite's throwaway certificate,
 * which the engines are told to accept (acceptInsecureCerts). Access tokens last 3 s, as on SHORT_TTL, so that a flow
 * can outlive one; DPoP and DBSC are on, the defaults.
 */
export const ENGINES: Server = {
  name: 'engines',
  port: HTTP_PORT,
  url: `https://localhost:${HTTPS_PORT}`,
  env: {
    ...SHARED_ENV,
    DATABASE_PATH: join(
      (process.env.E2E_DATA_ENGINES ??= mkdtempSync(join(tmpdir(), 'jwt-session-e2e-engines-'))),
      'app.db',
    ),
    APP_ORIGIN: `https://localhost:${HTTPS_PORT}`,
    ACCESS_TOKEN_TTL: '3',
  },
};

/** The engines server's TLS front, for Playwright's webServer list. */
export const ENGINES_TLS_FRONT = {
  command: `node e2e/tls-front.mjs ${DBSC_CERTS} ${HTTPS_PORT} ${HTTP_PORT}`,
  url: `${ENGINES.url}/login`,
  ignoreHTTPSErrors: true,
};
