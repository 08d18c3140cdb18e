import {
  API,
  isLoginReason,
  REFRESH_ATTEMPTS,
  REFRESH_BACKOFF_MAX_MS,
  REFRESH_RETRY_BUDGET_MS,
  REFRESH_TIMEOUT_MS,
  refreshBackoffMs,
  type ErrorBody,
  type LoginReason,
  type TokenBody,
} from '@/lib/protocol';
import { refreshInTurn } from './cross-tab';
import { loadKey } from './dpop';
import { adoptTokens, forgetSession, getAuthState, latestTokens, markReconnecting } from './session';
import { errorOf, JSON_POST, sendWithProof } from './transport';

/**
 * The refresh policy: the refresh cookie (with a proof by this browser's key) is exchanged for a new access token by
 * one request shared by every caller in this tab and, through the credentials lock, by every tab. Only `invalid_grant`
 * ends the session; a transient failure (offline, timeout, 429, 5xx) is retried with back-off, or as `Retry-After`
 * says, within REFRESH_RETRY_BUDGET_MS (lib/protocol.ts) — the server's grace window must cover it — while the page
 * shows "reconnecting".
 */

/** The session ended for good (invalid_grant): sign in again. */
export class SessionEndedError extends Error {
  constructor(readonly reason: LoginReason) {
    super(reason);
  }
}

/** A refresh that may work if tried again: `status` 0 when no answer came (offline, timeout), else 429 or 5xx. */
export class TransientAuthError extends Error {
  constructor(
    readonly status: number,
    /** The answer's error code, when it had one (e.g. temporarily_unavailable). */
    readonly code?: string,
    /** How long the server asked us to wait (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(code ?? `HTTP ${status}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transient(error: TransientAuthError): never {
  markReconnecting();
  throw error;
}

/** What ended the session, in the login page's terms: the server's cause, else its reason when it is one, else invalid. */
export const endReason = ({ cause, reason }: Partial<ErrorBody>): LoginReason =>
  isLoginReason(cause) ? cause : isLoginReason(reason) ? reason : 'invalid';

/** One refresh request, given `timeoutMs` to answer; `early` when the page load started it before hydration. */
async function requestRefresh(timeoutMs: number, early: boolean): Promise<TokenBody> {
  let response: Response;
  try {
    const init = { ...JSON_POST, signal: AbortSignal.timeout(timeoutMs) };
    response = await sendWithProof(API.refresh, init, { kind: 'refresh', early }, await loadKey());
  } catch {
    return transient(new TransientAuthError(0));
  }
  if (response.ok) {
    const body = (await response.json()) as TokenBody;
    adoptTokens(body);
    return body;
  }
  const body = await errorOf(response);
  if (response.status === 401 && body.error === 'invalid_grant') {
    const reason = endReason(body);
    forgetSession(reason);
    throw new SessionEndedError(reason);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return transient(new TransientAuthError(response.status, body.error, retryAfter * 1000 || undefined));
}

/**
 * requestRefresh, tried again while the failure is transient: at most REFRESH_ATTEMPTS times, and never past the
 * budget's deadline — a wait (Retry-After included) that would leave no time for another attempt ends the retries, and
 * the last attempt's timeout is cut to what is left.
 */
async function requestRefreshWithinBudget(early: boolean): Promise<TokenBody> {
  const deadline = Date.now() + REFRESH_RETRY_BUDGET_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      // Only the first attempt is early: a retry waits at least a back-off, long after hydration.
      return await requestRefresh(Math.min(REFRESH_TIMEOUT_MS, deadline - Date.now()), early && attempt === 1);
    } catch (error) {
      if (!(error instanceof TransientAuthError) || attempt >= REFRESH_ATTEMPTS) throw error;
      const wait = Math.min(error.retryAfterMs ?? refreshBackoffMs(attempt), REFRESH_BACKOFF_MAX_MS);
      if (Date.now() + wait >= deadline) throw error;
      await sleep(wait);
    }
  }
}

let inFlight: Promise<TokenBody> | null = null;

/**
 * Exchanges the refresh cookie for a new access token. Concurrent callers, in this tab and in others, share one: a
 * caller that comes while one is in flight gets its result. `early`: the page load's refresh started before hydration
 * (early-refresh.ts), as the exchange observers are told.
 */
export function refresh({ early = false } = {}): Promise<TokenBody> {
  const stale = getAuthState().accessToken;
  // The key is read from IndexedDB while the lock is awaited, not after: once it is this tab's turn, only the proof and
  // the request are left (at a page load the main thread is busy hydrating, and every wait queues behind it).
  void loadKey();
  // Another tab may have refreshed while this one waited for its turn: its tokens, handed over, are used instead.
  const adoptedMeanwhile = () => {
    const { accessToken } = getAuthState();
    return accessToken && accessToken !== stale ? latestTokens() : null;
  };
  inFlight ??= refreshInTurn(adoptedMeanwhile, () => requestRefreshWithinBudget(early)).finally(() => {
    inFlight = null;
  });
  return inFlight;
}
