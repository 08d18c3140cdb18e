import { receiveReport } from '@/lib/http/csp-report';
import { noContent, route } from '@/lib/http/respond';

/**
 * POST /api/csp-report (a CSP violation report, `application/csp-report` or `application/reports+json`, ≤ 16 KiB) →
 * 204, each violation logged in one line (lib/http/csp-report.ts). 429 with Retry-After past the per-address allowance,
 * 413 / 415 / 400 for a body too large, of another type, or not a report.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    await receiveReport(request);
    return noContent();
  },
});
