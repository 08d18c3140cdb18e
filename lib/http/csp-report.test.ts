import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError } from '@/lib/auth/errors';
import { SOCKET_IP_HEADER } from './client-ip';
import {
  documentPathOf,
  parseViolations,
  receiveReport,
  recentViolations,
  reduceBlocked,
  REPORT_WINDOW_MS,
  REPORTS_PER_WINDOW,
  takeReportAllowance,
} from './csp-report';
import { HttpError } from './errors';

const reportUri = (report: Record<string, unknown>) => JSON.stringify({ 'csp-report': report });
const CHROMIUM_REPORT_URI = reportUri({
  'document-uri': 'https://app.example/dashboard?token=secret#frag',
  referrer: '',
  'violated-directive': 'script-src-elem',
  'effective-directive': 'script-src-elem',
  'original-policy': "script-src 'nonce-x'",
  disposition: 'enforce',
  'blocked-uri': 'inline',
  'status-code': 200,
  'script-sample': '',
});
const REPORTS = JSON.stringify([
  {
    type: 'csp-violation',
    age: 10,
    url: 'https://app.example/demo',
    user_agent: 'Chromium',
    body: {
      documentURL: 'https://app.example/demo?q=1',
      blockedURL: 'https://evil.example/steal.js?cookie=abc',
      effectiveDirective: 'script-src-elem',
      disposition: 'enforce',
      statusCode: 200,
    },
  },
  { type: 'deprecation', age: 1, url: 'https://app.example/', body: { id: 'x' } },
]);

const httpCode = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return (error as HttpError).code;
  }
  throw new Error('expected an HttpError');
};

describe('parseViolations', () => {
  it('reads a report-uri body: directive, blocked keyword, and the document path without its query', () => {
    expect(parseViolations('application/csp-report', CHROMIUM_REPORT_URI)).toEqual({
      format: 'report-uri',
      violations: [
        { directive: 'script-src-elem', blocked: 'inline', documentPath: '/dashboard', disposition: 'enforce' },
      ],
    });
  });

  it("takes a report-uri body's violated-directive when it has no effective-directive (directive name only)", () => {
    const body = reportUri({ 'document-uri': 'http://localhost/x', 'violated-directive': "script-src 'self'" });
    expect(parseViolations('application/csp-report', body).violations[0]?.directive).toBe('script-src');
  });

  it('reads a Reporting API batch: its csp-violation reports, the blocked URL reduced to its origin', () => {
    expect(parseViolations('application/reports+json', REPORTS)).toEqual({
      format: 'report-to',
      violations: [
        {
          directive: 'script-src-elem',
          blocked: 'https://evil.example',
          documentPath: '/demo',
          disposition: 'enforce',
        },
      ],
    });
  });

  it('refuses any other content type with 415', () => {
    expect(httpCode(() => parseViolations('application/json', CHROMIUM_REPORT_URI))).toBe('unsupported_media_type');
    expect(httpCode(() => parseViolations(null, CHROMIUM_REPORT_URI))).toBe('unsupported_media_type');
  });

  it('refuses malformed JSON and bodies not in the format’s shape with 400', () => {
    expect(httpCode(() => parseViolations('application/csp-report', '{'))).toBe('invalid_request');
    expect(httpCode(() => parseViolations('application/csp-report', '{"csp-report":{}}'))).toBe('invalid_request');
    expect(httpCode(() => parseViolations('application/csp-report', REPORTS))).toBe('invalid_request');
    expect(httpCode(() => parseViolations('application/reports+json', CHROMIUM_REPORT_URI))).toBe('invalid_request');
    const noBody = JSON.stringify([{ type: 'csp-violation', body: { documentURL: 'http://x/' } }]);
    expect(httpCode(() => parseViolations('application/reports+json', noBody))).toBe('invalid_request');
  });

  it('logs a directive as its name only, and one that is no directive name as "unknown"', () => {
    const named = (directive: string) =>
      parseViolations(
        'application/csp-report',
        reportUri({ 'document-uri': 'http://x/', 'effective-directive': directive }),
      ).violations[0]?.directive;
    expect(named('script-src\nFAKE LOG LINE')).toBe('script-src');
    expect(named('<script>alert(1)</script>')).toBe('unknown');
    expect(named('x'.repeat(41))).toBe('unknown');
  });
});

describe('reduceBlocked and documentPathOf', () => {
  it('keep keywords and schemes, an origin for web URLs, nothing of a path or query', () => {
    expect(reduceBlocked('inline')).toBe('inline');
    expect(reduceBlocked('eval')).toBe('eval');
    expect(reduceBlocked('data:text/html;base64,AAAA')).toBe('data:');
    expect(reduceBlocked('javascript:alert(document.cookie)')).toBe('javascript:');
    expect(reduceBlocked('https://evil.example:8443/x?token=abc')).toBe('https://evil.example:8443');
    expect(reduceBlocked('')).toBe('none');
    expect(reduceBlocked('not a url at all')).toBe('other');
    expect(documentPathOf('https://app.example/sessions?code=1#x')).toBe('/sessions');
    expect(documentPathOf('garbage')).toBe('unknown');
  });
});

describe('takeReportAllowance', () => {
  it(`allows ${REPORTS_PER_WINDOW} violations per address per window, then 429 with the seconds left`, () => {
    const now = 1_000_000;
    for (let i = 0; i < REPORTS_PER_WINDOW; i++) takeReportAllowance('198.51.100.1', 1, now);
    let refused: unknown;
    try {
      takeReportAllowance('198.51.100.1', 1, now + 1000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as AuthError).code).toBe('rate_limited');
    expect((refused as AuthError).detail.retryAfter).toBe(REPORT_WINDOW_MS / 1000 - 1);
    expect(() => takeReportAllowance('198.51.100.2', 1, now + 1000)).not.toThrow();
    expect(() => takeReportAllowance('198.51.100.1', 1, now + REPORT_WINDOW_MS)).not.toThrow();
  });
});

describe('receiveReport', () => {
  afterEach(() => vi.restoreAllMocks());

  const post = (body: string, type: string, address = '203.0.113.9') =>
    new Request('http://localhost/api/csp-report', {
      method: 'POST',
      body,
      headers: { 'content-type': type, [SOCKET_IP_HEADER]: address, cookie: 'session=secret-cookie' },
    });

  it('logs one line per violation, with no cookie, query or blocked path in it, and keeps it for the demo', async () => {
    const log = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await receiveReport(post(CHROMIUM_REPORT_URI, 'application/csp-report'));
    await receiveReport(post(REPORTS, 'application/reports+json'));
    const lines = log.mock.calls.map((call) => call.join(' '));
    expect(lines).toEqual([
      'jwt-session-reference: CSP violation: script-src-elem blocked inline on /dashboard',
      'jwt-session-reference: CSP violation: script-src-elem blocked https://evil.example on /demo',
    ]);
    expect(lines.join('\n')).not.toMatch(/secret|token=|cookie|steal/);
    expect(recentViolations().slice(-2)).toMatchObject([
      { directive: 'script-src-elem', documentPath: '/dashboard', format: 'report-uri' },
      { blocked: 'https://evil.example', documentPath: '/demo', format: 'report-to' },
    ]);
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const big = reportUri({ 'document-uri': 'http://x/', 'script-sample': 'x'.repeat(16 * 1024) });
    await expect(receiveReport(post(big, 'application/csp-report'))).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});
