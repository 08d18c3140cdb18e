import { RENEWED_EXPIRES_HEADER, RENEWED_TOKEN_HEADER } from '@/lib/protocol';
import { loadKey } from './dpop';
import { refresh, SessionEndedError } from './refresh';
import { adoptRenewal, getAuthState, latestTokens, refreshSessionPastHalf } from './session';
import { steppedUp } from './step-up';
import { errorOf, sendWithProof } from './transport';

/**
 * What the browser does on a 401: when `authFetch` is refused with `token_expired` (the token ran out) or
 * `invalid_token` (e.g. the session was revoked elsewhere), it refreshes once — a single refresh shared by every caller
 * waiting at that moment, and by every tab (refresh.ts) — and retries the call once. If the session is gone the refresh
 * answers `invalid_grant`, which ends it with its reason. A proof the server refuses (`invalid_dpop_proof`) is never
 * answered with a refresh: a new token would be proved with the same key. A 401 `insufficient_user_authentication` (a
 * sensitive change needs a recent sign-in) is answered by re-authentication (step-up.ts), then one retry.
 */

/** An access token to use now: the one in memory, or a fresh one from the refresh cookie. */
async function currentToken(): Promise<string> {
  return getAuthState().accessToken ?? (await refresh()).accessToken;
}

function adoptFrom(response: Response, sentWith: string): void {
  const renewed = response.headers.get(RENEWED_TOKEN_HEADER);
  const expiresIn = Number(response.headers.get(RENEWED_EXPIRES_HEADER));
  if (renewed && Number.isFinite(expiresIn)) adoptRenewal(sentWith, renewed, expiresIn);
  // Calls (and their renewals) keep the access token alive but not the refresh session's idle timer: once past half
  // of it, rotate in the background, so a user busy in one page is never idled out.
  if (response.ok && refreshSessionPastHalf()) refresh().catch(() => {});
}

/** A 401 that one refresh may cure: the token expired, or was refused (its session revoked, its key retired). */
async function isRefreshable(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const { error } = await errorOf(response);
  return error === 'token_expired' || error === 'invalid_token';
}

/**
 * fetch with the access token attached (and a DPoP proof for it). On 401 `token_expired` or `invalid_token` it
 * refreshes (once, shared) and retries once; on 401 `insufficient_user_authentication` it asks the person to
 * re-authenticate and retries once (cancelled: that 401 is the answer); a sliding renewal in the response replaces the
 * token in memory. Throws
 * SessionEndedError when the session is over (the refresh answered invalid_grant), TransientAuthError when the refresh
 * it needed could not be made for now.
 */
export async function authFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const send = async (token: string, retry: boolean) => {
    const request = { ...init, credentials: 'same-origin', cache: 'no-store' } as const;
    return sendWithProof(
      input,
      request,
      { kind: 'api', retry },
      latestTokens()?.tokenType === 'DPoP' ? await loadKey() : null,
      token,
    );
  };
  const token = await currentToken();
  let sentWith = token;
  let response = await send(token, false);
  if (await isRefreshable(response)) {
    // Someone may have refreshed while this call was out; use their token rather than refreshing again.
    const now = getAuthState().accessToken;
    sentWith = now && now !== token ? now : (await refresh()).accessToken;
    response = await send(sentWith, true);
  }
  if (await steppedUp(response)) {
    sentWith = await currentToken();
    response = await send(sentWith, true);
  }
  adoptFrom(response, sentWith);
  return response;
}

/**
 * Restores the session on page load from the refresh cookie, silently. Resolves to whether there is one. It adopts the
 * page load's early refresh (early-refresh.ts): its tokens once it answered, the request itself while in flight
 * (refresh() shares it), and its end — a session that ended is not asked for again, so a load never refreshes twice.
 */
export async function restoreSession(): Promise<boolean> {
  const { accessToken, status } = getAuthState();
  if (accessToken) return true;
  if (status === 'unauthenticated') return false;
  try {
    await refresh();
    return true;
  } catch (error) {
    if (error instanceof SessionEndedError) return false;
    throw error;
  }
}
