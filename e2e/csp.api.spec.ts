import { expect } from '@playwright/test';
import { Api, type ApiResponse } from './api';
import { expectError } from './assertions';
import { test } from './fixtures';
import { BEARER } from './servers';

// The page policy on the wire, and POST /api/csp-report: what browsers send when the policy refuses something
// (lib/http/csp.ts, lib/http/csp-report.ts).

const REPORT_URI = 'application/csp-report';
const REPORTS = 'application/reports+json';
const MAX_BODY = 16 * 1024;
/** lib/http/csp-report.ts's REPORTS_PER_WINDOW: violations one address may report a minute. */
const ALLOWANCE = 60;

const reportUriBody = JSON.stringify({
  'csp-report': {
    'document-uri': 'http://localhost/dashboard?code=secret',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "script-src 'nonce-x' 'strict-dynamic'",
    disposition: 'enforce',
    'blocked-uri': 'inline',
    'status-code': 200,
  },
});
const reportsBody = JSON.stringify([
  {
    type: 'csp-violation',
    age: 3,
    url: 'http://localhost/demo',
    user_agent: 'e2e',
    body: {
      documentURL: 'http://localhost/demo',
      blockedURL: 'trusted-types-sink',
      effectiveDirective: 'require-trusted-types-for',
      disposition: 'enforce',
      statusCode: 200,
    },
  },
]);

const report = (api: Api, body: string, type: string): Promise<ApiResponse> =>
  api.call('POST', '/api/csp-report', { body, headers: { 'content-type': type }, dpop: false });

const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];

test.describe('the Content-Security-Policy header', () => {
  test('every page answer carries the strict policy with a nonce of its own, and where to report', async ({ api }) => {
    const pages: [string, ApiResponse][] = [
      ['login page', await api.call('GET', '/login', { dpop: false })],
      ['login page again', await api.call('GET', '/login', { dpop: false })],
      ['home page', await api.call('GET', '/', { dpop: false })],
      ['protected-page redirect', await api.call('GET', '/dashboard', { dpop: false })],
      ['404 page', await api.call('GET', '/nothing-here-at-all', { dpop: false })],
    ];
    const nonces = new Set<string>();
    for (const [label, response] of pages) {
      const policy = response.headers.get('content-security-policy');
      expect(policy, label).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
      expect(policy, label).not.toMatch(/unsafe-inline|unsafe-eval/);
      for (const directive of [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
      ]) {
        expect(policy, label).toContain(directive);
      }
      expect(policy, label).toContain('report-uri /api/csp-report; report-to csp-endpoint');
      expect(response.headers.get('reporting-endpoints'), label).toBe('csp-endpoint="/api/csp-report"');
      nonces.add(nonceOf(policy)!);
    }
    expect(nonces.size, 'a fresh nonce per response').toBe(pages.length);
    // Next.js puts the response's nonce on every script it renders; there is no script without it.
    const login = pages[0]![1];
    const scripts = login.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts)
      expect(script).toContain(`nonce="${nonceOf(login.headers.get('content-security-policy'))}"`);
  });

  test("API answers carry default-src 'none'; frame-ancestors 'none'", async ({ api }) => {
    for (const response of [await api.call('GET', '/api/health', { dpop: false }), await api.me()]) {
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});

test.describe('the CSP report endpoint', () => {
  test('takes a report-uri report and a Reporting API batch: 204, no body', async ({ api }) => {
    for (const [body, type] of [
      [reportUriBody, REPORT_URI],
      [reportsBody, REPORTS],
      [reportsBody, `${REPORTS}; charset=utf-8`],
    ]) {
      const response = await report(api, body!, type!);
      expect(response.status, response.text).toBe(204);
      expect(response.text).toBe('');
    }
  });

  test('refuses other content types with 415', async ({ api }) => {
    expectError(await report(api, reportUriBody, 'application/json'), 415, 'unsupported_media_type');
    expectError(await report(api, reportUriBody, 'text/plain'), 415, 'unsupported_media_type');
  });

  test('refuses a body over 16 KiB with 413', async ({ api }) => {
    const big = JSON.stringify({ 'csp-report': { 'document-uri': 'http://x/', sample: 'x'.repeat(MAX_BODY) } });
    expectError(await report(api, big, REPORT_URI), 413, 'payload_too_large');
  });

  test('refuses malformed JSON and bodies that are not reports with 400, never a 5xx', async ({ api }) => {
    expectError(await report(api, '{"csp-report":', REPORT_URI), 400, 'invalid_request');
    expectError(await report(api, '{"csp-report":{}}', REPORT_URI), 400, 'invalid_request');
    expectError(await report(api, '{"not":"an array"}', REPORTS), 400, 'invalid_request');
    expectError(await report(api, '[{"type":"csp-violation","body":null}]', REPORTS), 400, 'invalid_request');
    expectError(await report(api, '\u0000', REPORTS), 400, 'invalid_request');
  });

  test('takes only POST', async ({ api }) => {
    const response = await api.call('GET', '/api/csp-report', { dpop: false });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test(`allows an address ${ALLOWANCE} violations a minute, then 429 with Retry-After`, async () => {
    test.skip(test.info().project.name !== 'api-sqlite', 'one server whose allowance this test spends: once is enough');
    // Its own server: the suite's client address is one, and the browser tests' reports must not meet a spent allowance.
    const api = new Api(BEARER.url);
    const statuses: number[] = [];
    let refused: ApiResponse | undefined;
    for (let sent = 0; sent < ALLOWANCE + 5 && !refused; sent++) {
      const response = await report(api, reportUriBody, REPORT_URI);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(
      statuses.slice(0, ALLOWANCE).every((status) => status === 204),
      statuses.join(' '),
    ).toBe(true);
    const body = expectError(refused!, 429, 'rate_limited');
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.retryAfter).toBe(retryAfter);
  });
});
