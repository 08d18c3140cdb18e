// Shared with the edge runtime (the middleware builds every page's policy): no dependency.
/**
 * The Content-Security-Policy of the app's pages and of its API, and where browsers report violations. A page's
 * scripts run only if they carry the request's nonce, or were loaded by one that does ('strict-dynamic'): an injected
 * inline script, event handler or `javascript:` URL carries none, so it never runs. Trusted Types close what
 * 'strict-dynamic' leaves open, script text handed to the DOM by script (the default policy:
 * lib/client/trusted-types.ts).
 */

/** The path browsers send violation reports to (app/api/csp-report/route.ts). */
export const CSP_REPORT_PATH = '/api/csp-report';

/** The Reporting API name of {@link CSP_REPORT_PATH}, as `report-to` names it. */
export const CSP_REPORT_GROUP = 'csp-endpoint';

/** The `Reporting-Endpoints` header every page carries, naming {@link CSP_REPORT_GROUP}. */
export const REPORTING_ENDPOINTS = `${CSP_REPORT_GROUP}="${CSP_REPORT_PATH}"`;

/** The policy of every API response and static file: nothing may load, nothing may frame it. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh nonce for one page response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A page's policy for one response, given its nonce. Development adds what hot reloading needs — `'unsafe-eval'` for
 * scripts, WebSocket connections — and nothing else.
 */
export function pagePolicy(nonce: string, { dev = false }: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types default',
    `report-uri ${CSP_REPORT_PATH}`,
    `report-to ${CSP_REPORT_GROUP}`,
  ].join('; ');
}
