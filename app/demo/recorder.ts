import { observedFetch, observeExchanges, type Exchange, type ExchangeInfo } from '@/lib/client/auth-client';
import { RENEWED_TOKEN_HEADER, type ErrorBody, type TokenBody } from '@/lib/protocol';
import type { DeviceExchange } from './device';
import { DEMO_API } from './paths';

/**
 * The live demo's record of the auth client's exchanges, as events for its sequence diagram. It observes the auth
 * client (observeExchanges) from the moment the demo page mounts; the exchanges before it come from the history the
 * auth client keeps when the root layout asks it to (DEMO_CONTROLS on), so that the diagram can show a sign-in made
 * before the visitor opened /demo, and the page load's early refresh (started before hydration, long before this page
 * mounts). The browser's own DBSC requests, which no page can observe, join the record as the
 * server reports them (recordDbscExchanges).
 */

/** An exchange the page saw. 'demo': a request to a demo endpoint, or one the demo sent itself (demoFetch). */
export interface AuthEvent extends Omit<ExchangeInfo, 'kind'> {
  kind: Exclude<ExchangeInfo['kind'], 'page'> | 'demo';
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

/** A request the browser made by itself for DBSC, as the server recorded it: the page never saw it. */
export interface DbscEvent {
  kind: 'dbsc';
  id: number;
  /** Epoch milliseconds when the server recorded it (by the server's clock). */
  at: number;
  /** What came of it: a device key registered, a bound cookie renewed, the DBSC session ended, a proof refused. */
  outcome: DeviceExchange['kind'];
  path: string;
}

/** An event of the sequence diagram: an exchange the page saw, or a DBSC request the server reported. */
export type DemoEvent = AuthEvent | DbscEvent;

const HISTORY_LENGTH = 40;
const DEMO_PATHS: readonly string[] = Object.values(DEMO_API);
let nextId = 1;
let history: readonly DemoEvent[] = [];
/** The `at` of every DBSC request already recorded (each report repeats the session's latest ones). */
const reportedAt = new Set<number>();
let recording = false;
const listeners = new Set<() => void>();

async function toEvent([info, response, startedAt, endedAt]: Exchange): Promise<AuthEvent> {
  // The demo's endpoints are called through authFetch, and its own requests through observedFetch: both are the demo's.
  const kind = info.kind === 'page' || (info.kind === 'api' && DEMO_PATHS.includes(info.path)) ? 'demo' : info.kind;
  const event: AuthEvent = {
    ...info,
    kind,
    id: nextId++,
    at: startedAt,
    durationMs: endedAt - startedAt,
    status: response?.status ?? 0,
  };
  if (!response) return event;
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody & TokenBody>;
  if (!response.ok) return { ...event, error: body.error, reason: body.reason };
  return {
    ...event,
    receivedToken: response.headers.get(RENEWED_TOKEN_HEADER) ?? body.accessToken ?? info.receivedToken,
  };
}

function append(...events: DemoEvent[]): void {
  history = [...history, ...events].sort((a, b) => a.id - b.id).slice(-HISTORY_LENGTH);
  listeners.forEach((notify) => notify());
}

function record(exchange: Exchange): void {
  // The DBSC panel's polling is not drawn: what it brings back is (the DBSC requests it reports).
  if (exchange[0].path === DEMO_API.device) return;
  void toEvent(exchange).then((event) => append(event));
}

/** Records the browser's DBSC requests the server reported (GET /api/demo/device) that are not recorded yet. */
export function recordDbscExchanges(exchanges: readonly DeviceExchange[]): void {
  const fresh = exchanges.filter(({ at }) => !reportedAt.has(at));
  if (fresh.length === 0) return;
  fresh.forEach(({ at }) => reportedAt.add(at));
  append(...fresh.map(({ kind, path, at }): DbscEvent => ({ kind: 'dbsc', id: nextId++, at, outcome: kind, path })));
}

/** Starts recording the auth client's exchanges, those it kept first (once; later calls do nothing). */
function startRecording(): void {
  if (recording) return;
  recording = true;
  observeExchanges(record);
}

/**
 * fetch for the demo's own requests that do not go through authFetch (the access token sent without this browser's
 * key), recorded with the token and proof they carry.
 */
export function demoFetch(
  path: string,
  init: RequestInit,
  sent: Pick<ExchangeInfo, 'sentToken' | 'proof'>,
): Promise<Response> {
  startRecording();
  return observedFetch(path, init, sent);
}

/** The latest events, oldest recorded first; a new array after each change (a useSyncExternalStore snapshot). */
export const recentAuthEvents = (): readonly DemoEvent[] => history;

/** Subscribes to changes of {@link recentAuthEvents} (recording from now on, if not yet); returns the unsubscribe. */
export function onAuthEvent(listener: () => void): () => void {
  startRecording();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
