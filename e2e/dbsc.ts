import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_ENV, type Server } from './servers';

/**
 * The DBSC set-up: Chromium runs Device Bound Session Credentials (with a software key on Linux) only over HTTPS with a
 * certificate it accepts without an error. A throwaway self-signed certificate for localhost is made once per run
 * (openssl), a TLS front (tls-front.mjs) serves it before one `next start`, and Chromium is told to trust exactly that
 * key (--ignore-certificate-errors-spki-list; --ignore-certificate-errors would turn DBSC off).
 */

function certificateDir(): string {
  process.env.E2E_DBSC_CERTS ??= (() => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-session-dbsc-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return dir;
  })();
  return process.env.E2E_DBSC_CERTS;
}

export const DBSC_CERTS = certificateDir();

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: what --ignore-certificate-errors-spki-list takes. */
const spkiHash = createHash('sha256')
  .update(
    new X509Certificate(readFileSync(join(DBSC_CERTS, 'cert.pem'))).publicKey.export({ type: 'spki', format: 'der' }),
  )
  .digest('base64');

const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3210);
/** Base + 10 (`next start`) and + 11 (its TLS front). */
const HTTP_PORT = PORT_BASE + 10;
const HTTPS_PORT = PORT_BASE + 11;

/** Bound cookies last 8 s here, so a test can outlive one; Chrome then renews before every request (120 s margin). */
export const DBSC_COOKIE_TTL = 8;

/**
 * The DBSC server: `next start` on plain HTTP behind the TLS front. DPoP is off here, so that what the tests see is
 * DBSC's doing alone (DBSC works with DPoP on or off).
 */
export const DBSC_SERVER: Server = {
  name: 'dbsc',
  port: HTTP_PORT,
  url: `https://localhost:${HTTPS_PORT}`,
  env: {
    ...SHARED_ENV,
    DATABASE_PATH: join((process.env.E2E_DATA_DBSC ??= mkdtempSync(join(tmpdir(), 'jwt-session-e2e-dbsc-'))), 'app.db'),
    APP_ORIGIN: `https://localhost:${HTTPS_PORT}`,
    DPOP_MODE: 'off',
    DBSC_COOKIE_TTL: String(DBSC_COOKIE_TTL),
  },
};

/** The TLS front's command, for Playwright's webServer list. */
export const TLS_FRONT = {
  command: `node e2e/tls-front.mjs ${DBSC_CERTS} ${HTTPS_PORT} ${HTTP_PORT}`,
  url: `${DBSC_SERVER.url}/login`,
  ignoreHTTPSErrors: true,
};

/** Chromium's flags for DBSC with a software key, trusting the throwaway certificate. */
export const DBSC_CHROMIUM_ARGS = [
  '--enable-features=DeviceBoundSessions:RequireOriginTrialTokens/false/RefreshQuota/false/CheckSubdomainRegistration/false,EnableBoundSessionCredentialsSoftwareKeysForManualTesting',
  `--ignore-certificate-errors-spki-list=${spkiHash}`,
];
