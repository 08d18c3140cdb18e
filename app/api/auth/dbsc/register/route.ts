import { assertDbscEnabled, registerDbscSession } from '@/lib/auth/dbsc-sessions';
import { dbscProofOf, registrationResponse } from '@/lib/http/dbsc';
import { assertSameOrigin } from '@/lib/http/request';
import { route } from '@/lib/http/respond';
import { refreshCookieOf } from '@/lib/http/session-response';

/**
 * POST /api/auth/dbsc/register (made by the browser itself, after a sign-in offered DBSC): the refresh cookie and
 * `Secure-Session-Response: <dbsc+jwt>` carrying the browser's new public key and signing the sign-in's challenge →
 * 200 session instructions, the first bound cookie, and the refresh cookie marked DBSC-bound. 400 invalid_dbsc_proof
 * for a bad proof or a session already bound; 401 invalid_grant without a live refresh session; 403 cross-site; 404
 * when DBSC is off. Any 4xx makes the browser give up registering, which leaves the session as it was.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDbscEnabled();
    assertSameOrigin(request);
    return registrationResponse(await registerDbscSession(await refreshCookieOf(request), dbscProofOf(request)));
  },
});
