import { assertDemoEnabled } from '@/app/demo/server';
import { recentViolations } from '@/lib/http/csp-report';
import { json, route } from '@/lib/http/respond';

/**
 * Demo: GET /api/demo/csp-reports → 200 {violations}: the last CSP violations this instance received at
 * /api/csp-report, as it logged them (directive, blocked keyword or origin, document path). Needs no token: it says no
 * more than the log line, nothing of any user or session. 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async () => {
    assertDemoEnabled();
    return json({ violations: recentViolations() });
  },
});
