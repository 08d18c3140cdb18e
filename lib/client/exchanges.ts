import { tabId } from './cross-tab';

/**
 * The auth client's one hook for watching it work: every request it makes (sign-in, refresh, sign-out, API calls
 * through authFetch), every token another tab hands over, and the requests a page sends through observedFetch.
 * Nothing is copied while nobody observes, unless keepExchangeHistory() asked for the last few to be kept, so that an
 * observer that subscribes later (a page opened after the sign-in) still hears of them.
 */

/** What the auth client tells an observer about one exchange. */
export interface ExchangeInfo {
  /**
   * 'api': a call through authFetch; 'passkey-options': a passkey ceremony's options (its challenge); 'passkey': the
   * browser's signed answer that signs in (lib/client/passkeys.ts); 'reauth': a re-authentication, or its options
   * (lib/client/reauth.ts); 'peer': no request — another tab handed over its token; 'page': a request a page made
   * itself through {@link observedFetch}.
   */
  kind:
    'login' | 'register' | 'passkey-options' | 'passkey' | 'refresh' | 'logout' | 'api' | 'reauth' | 'peer' | 'page';
  /** The tab that made the request (for 'peer': the tab that handed over its token). */
  tab: string;
  method: string;
  path: string;
  sentToken?: string;
  /** The DPoP proof sent with the request. */
  proof?: string;
  /** For 'peer': the token handed over. */
  receivedToken?: string;
  retry?: boolean;
  /** For 'refresh': the page load's refresh, sent before the page was interactive (lib/client/early-refresh.ts). */
  early?: boolean;
}

/** One exchange: what was sent, a copy of the response (null when none came), when it started and ended. */
export type Exchange = [info: ExchangeInfo, response: Response | null, startedAt: number, endedAt: number];
/** Told about one exchange; the response is its own copy, free to read. */
export type ExchangeListener = (exchange: Exchange) => void;

/** How many exchanges keepExchangeHistory() keeps. */
const HISTORY_LENGTH = 40;
const listeners = new Set<ExchangeListener>();
let history: Exchange[] | null = null;

const copy = ([info, response, startedAt, endedAt]: Exchange): Exchange => [
  info,
  response?.clone() ?? null,
  startedAt,
  endedAt,
];

/**
 * Tells `listener` about every exchange from now on — first about the ones kept since keepExchangeHistory(), oldest
 * first — and returns the function that stops it.
 */
export function observeExchanges(listener: ExchangeListener): () => void {
  history?.forEach((exchange) => listener(copy(exchange)));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Keeps the last 40 exchanges in memory from now on (once; later calls do nothing), for observers that subscribe
 * later. Off by default: a page that never observes keeps and copies nothing.
 */
export function keepExchangeHistory(): void {
  history ??= [];
}

/** Reports one exchange to the history and the listeners (each gets its own copy of the response). */
export function reportExchange(info: ExchangeInfo, response: Response | null, startedAt: number): void {
  if (listeners.size === 0 && !history) return;
  const exchange: Exchange = [info, response, startedAt, Date.now()];
  if (history) history = [...history, copy(exchange)].slice(-HISTORY_LENGTH);
  for (const listener of listeners) listener(copy(exchange));
}

/**
 * fetch, reported to the observers as an exchange of `kind` ('page' unless the auth client says otherwise), with the
 * token and proof it carries. For a page's requests that do not go through authFetch but should be observed too (e.g.
 * a token sent without this browser's key, to show it refused).
 */
export async function observedFetch(
  path: string,
  init: RequestInit,
  info: Partial<Pick<ExchangeInfo, 'kind' | 'sentToken' | 'retry' | 'proof' | 'early'>> = {},
): Promise<Response> {
  const at = Date.now();
  let response: Response | null = null;
  try {
    response = await fetch(path, init);
    return response;
  } finally {
    reportExchange({ kind: 'page', ...info, tab: tabId, method: init.method ?? 'GET', path }, response, at);
  }
}
