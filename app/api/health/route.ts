import { revocations } from '@/lib/auth/revocations';
import { pingStore } from '@/lib/db';
import { json, route } from '@/lib/http/respond';

/**
 * GET /api/health → 200 {status: "ok", revokedSessions} when the session store answers a query; 503
 * temporarily_unavailable when it does not. `revokedSessions` is how many revoked sessions this instance refuses the
 * access tokens of (lib/auth/revocations.ts): it falls back to 0 once none of their tokens could still be valid.
 * Unauthenticated, for load balancers and uptime checks; `npm run bench` also uses it as the unguarded route handler
 * that /api/me and /api/auth/refresh are compared with.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  GET: async () => {
    await pingStore();
    return json({ status: 'ok', revokedSessions: revocations().size });
  },
});
