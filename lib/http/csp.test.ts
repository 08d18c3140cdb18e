import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { API_POLICY, CSP_REPORT_PATH, newNonce, pagePolicy, REPORTING_ENDPOINTS } from './csp';

const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

describe('the page policy', () => {
  const production = directives(pagePolicy('abc123=='));

  it("runs only scripts with this response's nonce, and what they load: no 'unsafe-inline', no 'unsafe-eval'", () => {
    expect(production.get('script-src')).toEqual(["'nonce-abc123=='", "'strict-dynamic'"]);
    expect(pagePolicy('abc')).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('allows no plugins, no <base>, no framing, forms only to this origin, styles only from its stylesheets', () => {
    expect(production.get('object-src')).toEqual(["'none'"]);
    expect(production.get('base-uri')).toEqual(["'none'"]);
    expect(production.get('frame-ancestors')).toEqual(["'none'"]);
    expect(production.get('form-action')).toEqual(["'self'"]);
    expect(production.get('style-src')).toEqual(["'self'"]);
    expect(production.get('connect-src')).toEqual(["'self'"]);
  });

  it('requires Trusted Types for script sinks, with the one default policy', () => {
    expect(production.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect(production.get('trusted-types')).toEqual(['default']);
  });

  it('reports violations to /api/csp-report both ways: report-to (Reporting API) and report-uri', () => {
    expect(production.get('report-uri')).toEqual([CSP_REPORT_PATH]);
    expect(production.get('report-to')).toEqual(['csp-endpoint']);
    expect(REPORTING_ENDPOINTS).toBe('csp-endpoint="/api/csp-report"');
  });

  it("adds in development only 'unsafe-eval' and the hot-reload WebSocket", () => {
    const dev = directives(pagePolicy('abc', { dev: true }));
    const changed = [...dev].filter(([name, values]) => production.get(name)?.join(' ') !== values.join(' '));
    expect(changed.map(([name]) => name)).toEqual(['script-src', 'connect-src']);
    expect(dev.get('script-src')).toEqual(["'nonce-abc'", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
  });
});

describe('newNonce', () => {
  it('is 128 random bits in base64, new every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });
});

describe('next.config.js', () => {
  it('sends the API policy on API answers and static files (pages get theirs from the middleware)', async () => {
    const load = createRequire(import.meta.url)('../../next.config.js') as (phase: string) => {
      headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]>;
    };
    const rules = await load('phase-production-server').headers();
    const policies = rules.flatMap((rule) =>
      rule.headers.filter((header) => header.key === 'Content-Security-Policy').map((header) => header.value),
    );
    expect(policies.length).toBeGreaterThan(0);
    expect(new Set(policies)).toEqual(new Set([API_POLICY]));
  });
});
