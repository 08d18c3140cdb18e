import 'server-only';
import { z } from 'zod';
import { BoundedMap } from '@/lib/bounded-map';
import { getConfig } from '@/lib/config';
import { AuthError } from '@/lib/auth/errors';
import { clientIp } from './client-ip';
import { HttpError } from './errors';
import { readCappedText } from './request';

/**
 * What POST /api/csp-report does with the violation reports browsers send: both formats read (report-uri's
 * `application/csp-report`, the Reporting API's `application/reports+json`), each violation logged as one line of
 * directive, blocked resource and document path — reduced so that no query string, fragment or path of a blocked URL
 * (where tokens and personal data travel) reaches the log — and the last few kept for the live demo when DEMO_CONTROLS
 * is on.
 */

/** One violation, as logged: nothing the browser sent beyond these three facts and the policy's disposition. */
export interface Violation {
  /** The directive that refused it, e.g. `script-src-elem`. */
  directive: string;
  /** What was blocked: a keyword (`inline`, `eval`, …), a scheme (`data:`) or an origin — never a path or query. */
  blocked: string;
  /** The path of the page it happened on, without its query or fragment. */
  documentPath: string;
  disposition: 'enforce' | 'report';
}

/** Violations the demo shows, as the server received them: when, and through which mechanism. */
export interface ReceivedViolation extends Violation {
  /** Counts up from 1 in the order this instance received them. */
  id: number;
  receivedAt: number;
  format: 'report-uri' | 'report-to';
}

/**
 * How many violations one client address may report per {@link REPORT_WINDOW_MS}. Reports are not a security control,
 * so the count is kept per instance, in memory: an instance that forgets it on restart, or a client spread over several
 * instances, only gets a few more lines logged. Counted per violation, not per request, so a batch cannot multiply the
 * log lines one request may cause.
 */
export const REPORTS_PER_WINDOW = 60;
export const REPORT_WINDOW_MS = 60_000;

const CSP_REPORT_TYPE = /^application\/csp-report\s*(;|$)/i;
const REPORTS_TYPE = /^application\/reports\+json\s*(;|$)/i;
const DIRECTIVE = /^[a-z-]{1,40}$/;
const KEYWORDS = new Set(['inline', 'eval', 'wasm-eval', 'trusted-types-policy', 'trusted-types-sink', 'self']);

const text = z.string().max(4096);
const reportUriBody = z.object({
  'csp-report': z.object({
    'document-uri': text,
    'effective-directive': text.optional(),
    'violated-directive': text.optional(),
    'blocked-uri': text.optional(),
    disposition: text.optional(),
  }),
});
const reportsBody = z.array(
  z.object({
    type: text,
    body: z.unknown(),
  }),
);
const violationBody = z.object({
  documentURL: text,
  effectiveDirective: text,
  blockedURL: text.optional(),
  disposition: text.optional(),
});

/** A blocked URI reduced to what may be logged: its keyword, its scheme (data:, blob:, …) or its origin. */
export function reduceBlocked(value: string | undefined): string {
  const raw = (value ?? '').trim();
  if (raw === '') return 'none';
  if (KEYWORDS.has(raw)) return raw;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
  } catch {
    return 'other';
  }
}

/** A document URL reduced to its path (no query, no fragment), at most 200 characters. */
export function documentPathOf(value: string): string {
  try {
    return new URL(value).pathname.slice(0, 200);
  } catch {
    return 'unknown';
  }
}

function violation(directive: string | undefined, blocked: string | undefined, document: string, disposition?: string) {
  // report-uri's violated-directive may carry the directive's value after its name.
  const name = (directive ?? '').trim().split(/\s+/)[0] ?? '';
  return {
    directive: DIRECTIVE.test(name) ? name : 'unknown',
    blocked: reduceBlocked(blocked),
    documentPath: documentPathOf(document),
    disposition: disposition === 'report' ? 'report' : 'enforce',
  } satisfies Violation;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError('invalid_request', 'The body is not valid JSON.');
  }
}

const malformed = () => new HttpError('invalid_request', 'The body is not a CSP violation report.');

/**
 * The violations in a report body of `contentType`: 415 for a type that is neither report format, 400 for a body
 * that is not JSON or not in the format's shape. A Reporting API batch may hold reports of other types: they are
 * skipped.
 */
export function parseViolations(
  contentType: string | null,
  body: string,
): { format: ReceivedViolation['format']; violations: Violation[] } {
  const type = (contentType ?? '').trim();
  if (CSP_REPORT_TYPE.test(type)) {
    const parsed = reportUriBody.safeParse(parseJson(body));
    if (!parsed.success) throw malformed();
    const report = parsed.data['csp-report'];
    const directive = report['effective-directive'] ?? report['violated-directive'];
    return {
      format: 'report-uri',
      violations: [violation(directive, report['blocked-uri'], report['document-uri'], report.disposition)],
    };
  }
  if (REPORTS_TYPE.test(type)) {
    const parsed = reportsBody.safeParse(parseJson(body));
    if (!parsed.success) throw malformed();
    const violations = parsed.data
      .filter((report) => report.type === 'csp-violation')
      .map((report) => {
        const body = violationBody.safeParse(report.body);
        if (!body.success) throw malformed();
        const { effectiveDirective, blockedURL, documentURL, disposition } = body.data;
        return violation(effectiveDirective, blockedURL, documentURL, disposition);
      });
    return { format: 'report-to', violations };
  }
  throw new HttpError('unsupported_media_type', 'Send application/csp-report or application/reports+json.');
}

/** Per client address: how many violations it reported in the current window, and when that window ends. */
const windows = new BoundedMap<string, { count: number; endsAt: number }>(10_000);

/** Counts `cost` violations against the address's window; 429 with Retry-After once its allowance is spent. */
export function takeReportAllowance(address: string, cost: number, now = Date.now()): void {
  let window = windows.get(address);
  if (!window || window.endsAt <= now) {
    window = { count: 0, endsAt: now + REPORT_WINDOW_MS };
    windows.set(address, window);
  }
  if (window.count >= REPORTS_PER_WINDOW) {
    const retryAfter = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    throw new AuthError('rate_limited', `Too many reports; try again in ${retryAfter} s.`, { retryAfter });
  }
  window.count += cost;
}

// On the global object: the report route writes it, the demo's route reads it, and Next.js gives each route its own
// module instances.
const RECEIVED = Symbol.for('jwt-session-reference.csp-violations');
const KEPT_FOR_DEMO = 50;

function received(): { list: ReceivedViolation[]; lastId: number } {
  const global = globalThis as { [RECEIVED]?: { list: ReceivedViolation[]; lastId: number } };
  global[RECEIVED] ??= { list: [], lastId: 0 };
  return global[RECEIVED];
}

/** The last violations this instance received, newest last; always empty unless DEMO_CONTROLS is on. */
export function recentViolations(): readonly ReceivedViolation[] {
  return getConfig().DEMO_CONTROLS ? [...received().list] : [];
}

/**
 * Takes one report request: rate-limited per client address (429), the body read up to 16 KiB (413) and parsed
 * ({@link parseViolations}: 415, 400); then one log line per violation.
 */
export async function receiveReport(request: Request): Promise<void> {
  const address = clientIp(request);
  // Every request costs one before its body is read (a flood of bad bodies is limited too), a batch one per violation.
  takeReportAllowance(address, 1);
  const { format, violations } = parseViolations(request.headers.get('content-type'), await readCappedText(request));
  if (violations.length > 1) takeReportAllowance(address, violations.length - 1);
  const kept = getConfig().DEMO_CONTROLS ? received() : null;
  for (const entry of violations) {
    console.warn(
      `jwt-session-reference: CSP violation: ${entry.directive} blocked ${entry.blocked} on ${entry.documentPath}` +
        (entry.disposition === 'report' ? ' (report only)' : ''),
    );
    if (kept) {
      kept.list.push({ ...entry, id: ++kept.lastId, receivedAt: Date.now(), format });
      if (kept.list.length > KEPT_FOR_DEMO) kept.list.splice(0, kept.list.length - KEPT_FOR_DEMO);
    }
  }
}
