import type { ArrowLabel } from './messages';
import { DEMO_API } from './paths';
import type { AuthEvent } from './recorder';

/**
 * Turns the exchanges the auth client reports into the sequence diagram's arrows: each exchange is a request
 * (Client → Server), for bearer calls the server's check, and its answer (Server → Client), ordered by time.
 */

export type Tone = 'request' | 'ok' | 'warn' | 'bad';

export interface Arrow {
  key: string;
  event: AuthEvent;
  /** Epoch milliseconds: when the request left, or when its answer arrived. */
  at: number;
  direction: 'toServer' | 'onServer' | 'toClient';
  label: ArrowLabel;
  tone: Tone;
}

function requestLabel(event: AuthEvent): ArrowLabel {
  switch (event.kind) {
    case 'login':
    case 'register':
      return 'tokenRequest';
    case 'refresh':
      return 'renewalRequest';
    case 'logout':
      return 'logoutRequest';
    case 'demo':
      return event.path === DEMO_API.replay ? 'replayRequest' : 'lifetimeRequest';
    case 'api':
      return event.retry ? 'retryCall' : 'apiCall';
    case 'peer':
      return 'peerToken';
  }
}

function answer(event: AuthEvent): [ArrowLabel, Tone] {
  const ok = event.status >= 200 && event.status < 300;
  if (event.status === 0) return ['noAnswer', 'bad'];
  if (event.error === 'token_expired') return ['expiredError', 'warn'];
  if (event.reason === 'reused') return ['reuseDetected', 'bad'];
  switch (event.kind) {
    case 'login':
    case 'register':
      return ok ? ['tokenIssued', 'ok'] : ['signInRefused', 'bad'];
    case 'refresh':
      return ok ? ['renewedToken', 'ok'] : event.error === 'invalid_grant' ? ['renewalRefused', 'bad'] : ['failed', 'bad'];
    case 'logout':
      return ok ? ['loggedOut', 'ok'] : ['failed', 'bad'];
    case 'api':
      if (ok) return [event.receivedToken ? 'resultNewExp' : 'result', 'ok'];
      return event.status === 401 ? ['apiRefused', 'bad'] : ['failed', 'bad'];
    case 'peer':
      return ['peerToken', 'ok'];
    case 'demo':
      if (event.status === 404) return ['demoOff', 'warn'];
      if (event.error === 'grace_window') return ['graceWindow', 'warn'];
      if (event.error === 'no_previous_token') return ['noPrevious', 'warn'];
      return ok ? ['tokenIssued', 'ok'] : ['failed', 'bad'];
  }
}

/** The arrows of one exchange, in the order they happened. */
function arrowsOf(event: AuthEvent): Arrow[] {
  // Another tab refreshed and handed its token over: no request from this tab, only the token arriving.
  if (event.kind === 'peer') {
    return [{ key: `${event.id}-peer`, event, at: event.at, direction: 'toClient', label: 'peerToken', tone: 'ok' }];
  }
  const arrows: Arrow[] = [
    { key: `${event.id}-request`, event, at: event.at, direction: 'toServer', label: requestLabel(event), tone: 'request' },
  ];
  if (event.sentToken && event.status !== 0) {
    arrows.push({ key: `${event.id}-check`, event, at: event.at, direction: 'onServer', label: 'checkIdExp', tone: 'request' });
  }
  const [label, tone] = answer(event);
  arrows.push({ key: `${event.id}-answer`, event, at: event.at + event.durationMs, direction: 'toClient', label, tone });
  return arrows;
}

/** Every arrow of the given exchanges, oldest first (a stable sort keeps request, check, answer together on ties). */
export function arrowsFor(events: readonly AuthEvent[]): Arrow[] {
  return events.flatMap(arrowsOf).sort((a, b) => a.at - b.at);
}
