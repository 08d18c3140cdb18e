import { assertDemoEnabled, assertSameSession, refreshFromAnotherDevice } from '@/app/demo/server';
import { requireAccess } from '@/lib/http/guard';
import { assertSameOrigin, readEmptyJson, requestUrl } from '@/lib/http/request';
import { json, route } from '@/lib/http/respond';
import { withRefreshSession } from '@/lib/http/session-response';
import { API } from '@/lib/protocol';

/**
 * Demo: presents this session's refresh cookie as another device would, with a proof by a key that is not the
 * session's (access token and cookie of the same session required). Answers what the refresh endpoint told that
 * device — 401 invalid_grant `wrong_key`, with `proofJkt`, the thumbprint of the key it used — while the caller's own
 * cookie is kept: the session was not touched, and the Sessions page lists the refused attempt. 409 `not_key_bound`
 * when the session is not bound to a key (the demo does not try). 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) => {
    assertDemoEnabled();
    assertSameOrigin(request);
    const access = await requireAccess(request);
    await readEmptyJson(request);
    return withRefreshSession(request, async (claims) => {
      assertSameSession(access, claims);
      const result = await refreshFromAnotherDevice(claims, new URL(API.refresh, requestUrl(request)).href);
      if ('error' in result) {
        const message = 'This session is not bound to a browser key: its cookie would work on any device, so the demo does not try.';
        return json({ ...result, message }, { status: 409 });
      }
      const { refusal, jkt } = result;
      return json({ error: refusal.code, message: refusal.message, ...refusal.detail, proofJkt: jkt }, { status: 401 });
    });
  },
});
