import { RENEWED_TOKEN_HEADER, type ErrorBody, type TokenBody } from '@/lib/protocol';
import { observeExchanges, type Exchange, type ExchangeInfo } from './auth-client';

/**
 * The auth client's exchanges as events, for the live demo's sequence diagram. A separate module so that pages which
 * do not show the diagram do not ship it: the auth client itself only records raw exchanges.
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
  /** The access token the response brought: issued by login/refresh, a sliding renewal, or handed over by a peer. */
  receivedToken?: string;
}

const HISTORY_LENGTH = 40;
let nextId = 1;
let history: readonly AuthEvent[] = [];
let started = false;
const listeners = new Set<() => void>();

async function toEvent([info, response, startedAt, endedAt]: Exchange): Promise<AuthEvent> {
  const event: AuthEvent = { ...info, id: nextId++, at: startedAt, durationMs: endedAt - startedAt, status: response?.status ?? 0 };
  if (!response) return event;
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody & TokenBody>;
  if (!response.ok) return { ...event, error: body.error, reason: body.reason };
  return { ...event, receivedToken: response.headers.get(RENEWED_TOKEN_HEADER) ?? body.accessToken ?? info.receivedToken };
}

function append(events: AuthEvent[]): void {
  history = [...history, ...events].sort((a, b) => a.id - b.id).slice(-HISTORY_LENGTH);
  listeners.forEach((notify) => notify());
}

function start(): void {
  if (started) return;
  started = true;
  const backlog = observeExchanges((exchange) => void toEvent(exchange).then((event) => append([event])));
  void Promise.all(backlog.map(toEvent)).then(append);
}

/** The latest events, oldest first; a new array after each change (a useSyncExternalStore snapshot). */
export const recentAuthEvents = (): readonly AuthEvent[] => history;

/** Subscribes to changes of {@link recentAuthEvents}; returns the unsubscribe function. */
export function onAuthEvent(listener: () => void): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
