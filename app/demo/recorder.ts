import { exchange, observeExchanges, type Exchange, type ExchangeInfo } from '@/lib/client/auth-client';
import { RENEWED_TOKEN_HEADER, type ErrorBody, type TokenBody } from '@/lib/protocol';
import { DEMO_API } from './paths';

/**
 * The live demo's record of the auth client's exchanges, as events for its sequence diagram. It observes the auth
 * client from startRecording() on, which the root layout calls when the demo's controls are on (so that the diagram can
 * show a sign-in made before the visitor opened /demo), and the demo page calls when it mounts.
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
const DEMO_PATHS: readonly string[] = Object.values(DEMO_API);
let nextId = 1;
let history: readonly AuthEvent[] = [];
let recording = false;
const listeners = new Set<() => void>();

async function toEvent([info, response, startedAt, endedAt]: Exchange): Promise<AuthEvent> {
  // The demo's endpoints are called through authFetch: their exchanges are the demo's.
  const kind = info.kind === 'api' && DEMO_PATHS.includes(info.path) ? 'demo' : info.kind;
  const event: AuthEvent = { ...info, kind, id: nextId++, at: startedAt, durationMs: endedAt - startedAt, status: response?.status ?? 0 };
  if (!response) return event;
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody & TokenBody>;
  if (!response.ok) return { ...event, error: body.error, reason: body.reason };
  return { ...event, receivedToken: response.headers.get(RENEWED_TOKEN_HEADER) ?? body.accessToken ?? info.receivedToken };
}

function append(event: AuthEvent): void {
  history = [...history, event].sort((a, b) => a.id - b.id).slice(-HISTORY_LENGTH);
  listeners.forEach((notify) => notify());
}

function record(exchange: Exchange): void {
  void toEvent(exchange).then(append);
}

/** Starts recording the auth client's exchanges (once; later calls do nothing). */
export function startRecording(): void {
  if (recording) return;
  recording = true;
  observeExchanges(record);
}

/**
 * fetch for the demo's own requests that do not go through authFetch (the access token sent without this browser's
 * key), recorded with the token and proof they carry.
 */
export function demoFetch(path: string, init: RequestInit, sent: Pick<ExchangeInfo, 'sentToken' | 'proof'>): Promise<Response> {
  startRecording();
  return exchange(path, init, { kind: 'demo', ...sent });
}

/** The latest events, oldest first; a new array after each change (a useSyncExternalStore snapshot). */
export const recentAuthEvents = (): readonly AuthEvent[] => history;

/** Subscribes to changes of {@link recentAuthEvents} (recording from now on, if not yet); returns the unsubscribe. */
export function onAuthEvent(listener: () => void): () => void {
  startRecording();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
