import { expect } from '@playwright/test';
import { Api, type ApiResponse } from './api';
import { expectError } from './assertions';
import { test } from './fixtures';
import { BEARER } from './servers';

// POST /api/csp-report: what browsers send when the page policy refuses something (lib/http/csp-report.ts).

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

  test('refuses a body over 16 KiB with 413, declared or not', async ({ api }) => {
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
