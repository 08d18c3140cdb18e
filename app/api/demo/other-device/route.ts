import { refreshFromAnotherDevice, withOwnRefreshSession } from '@/app/demo/server';
import { requestUrl } from '@/lib/http/request';
import { refusal, route, statusOf } from '@/lib/http/respond';
import { API } from '@/lib/protocol';

/**
 * Demo: presents this session's refresh cookie as another device would, with a proof by a key that is not the
 * session's (access token and cookie of the same session required). Answers what the refresh endpoint told that
 * device — 401 invalid_grant `wrong_key`, with `proofJkt`, the thumbprint of the key it used — while the caller's own
 * cookie is kept: the session was not touched, and the Sessions page lists the refused attempt. 409 `not_key_bound`
 * when the session is not bound to a key (the demo does not try). 404 unless DEMO_CONTROLS is on.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({
  POST: async (request) =>
    withOwnRefreshSession(request, async (claims) => {
      const result = await refreshFromAnotherDevice(claims, new URL(API.refresh, requestUrl(request)).href);
      if ('error' in result) {
        const message =
          'This session is not bound to a browser key: its cookie would work on any device, so the demo does not try.';
        return refusal(result.error, message, { status: 409 });
      }
      // What the refresh endpoint answered the other device, and the thumbprint of the key it tried.
      return refusal(result.refusal.code, result.refusal.message, {
        status: statusOf(result.refusal),
        detail: { ...result.refusal.detail, proofJkt: result.jkt },
      });
    }),
});
