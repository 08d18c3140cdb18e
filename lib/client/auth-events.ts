import { RENEWED_TOKEN_HEADER, type ErrorBody, type TokenBody } from '@/lib/protocol';
import { observeExchanges, type ExchangeInfo } from './auth-client';

/**
 * The auth client's exchanges as events, for the live demo's sequence diagram. A separate module so that pages which
 * do not show the diagram do not ship it: the auth client itself only calls an optional observer.
 */

export interface AuthEvent extends ExchangeInfo {
  id: number;
  /** Epoch milliseconds when the request was sent. */
  at: number;
  durationMs: number;
  /** HTTP status, or 0 when there was no response (network failure, or a 'peer' hand-over). */
  status: number;
  /** The body's `error` code on failures (token_expired, invalid_grant, …). */
  error?: string;
  /** For invalid_grant: the reason (reused, revoked, …). */
  reason?: string;
  /** The access token the response brought: issued by login/refresh, or a sliding renewal (or handed over by a peer). */
  receivedToken?: string;
}

let nextId = 1;
const listeners = new Set<(event: AuthEvent) => void>();

async function toEvent(info: ExchangeInfo, response: Response | null, startedAt: number): Promise<AuthEvent> {
  const event: AuthEvent = { ...info, id: nextId++, at: startedAt, durationMs: Date.now() - startedAt, status: response?.status ?? 0 };
  if (!response) return event;
  const body = (await response.clone().json().catch(() => ({}))) as Partial<ErrorBody & TokenBody>;
  if (!response.ok) return { ...event, error: body.error, reason: body.reason };
  return { ...event, receivedToken: response.headers.get(RENEWED_TOKEN_HEADER) ?? body.accessToken };
}

/** Subscribes to every exchange the auth client makes (in order of completion); returns the unsubscribe function. */
export function onAuthEvent(listener: (event: AuthEvent) => void): () => void {
  listeners.add(listener);
  observeExchanges((info, response, startedAt) => {
    void toEvent(info, response, startedAt).then((event) => listeners.forEach((notify) => notify(event)));
  });
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) observeExchanges(null);
  };
}
