import type { ArrowLabel } from './messages';
import { API } from '@/lib/protocol';
import { DEMO_API } from './paths';
import type { AuthEvent, DemoEvent, DbscEvent } from './recorder';

/**
 * Turns the exchanges the auth client reports into the sequence diagram's arrows: each exchange is a request
 * (Client → Server), the server's check of its DPoP proof and token (with the verdict), and its answer
 * (Server → Client), ordered by time. A DBSC request the browser made by itself, which the server reported, is one
 * arrow (Browser → Server) whose label says what came of it.
 */

export type Tone = 'request' | 'ok' | 'warn' | 'bad';

export interface ExchangeArrow {
  key: string;
  event: AuthEvent;
  /** Epoch milliseconds: when the request left, or when its answer arrived. */
  at: number;
  direction: 'toServer' | 'onServer' | 'toClient';
  label: ArrowLabel;
  tone: Tone;
  /** For the server's check: 'ok', or the code (or invalid_grant reason) it refused the request with. */
  verdict?: string;
}

/** The browser's own DBSC request, at the time the server recorded it. */
export interface BrowserArrow {
  key: string;
  event: DbscEvent;
  at: number;
  direction: 'byBrowser';
  label: ArrowLabel;
  tone: Tone;
}

export type Arrow = ExchangeArrow | BrowserArrow;

const DEVICE_ARROWS: Record<DbscEvent['outcome'], [ArrowLabel, Tone]> = {
  registered: ['dbscRegistered', 'ok'],
  refreshed: ['dbscRefreshed', 'ok'],
  ended: ['dbscEnded', 'warn'],
  refused: ['dbscRefused', 'bad'],
};

function requestLabel(event: AuthEvent): ArrowLabel {
  switch (event.kind) {
    case 'login':
    case 'register':
      return 'tokenRequest';
    case 'passkey-options':
      return 'passkeyOptions';
    case 'passkey':
      return 'passkeyAssertion';
    case 'refresh':
      // The page load's refresh, started before hydration (lib/client/early-refresh.ts).
      return event.early ? 'earlyRenewalRequest' : 'renewalRequest';
    case 'logout':
      return 'logoutRequest';
    case 'reauth':
      return event.path === API.reauthOptions ? 'reauthOptions' : 'reauthRequest';
    case 'demo':
      if (event.path === DEMO_API.replay) return 'replayRequest';
      if (event.path === DEMO_API.otherDevice) return 'otherDeviceRequest';
      if (event.path === DEMO_API.accessTtl) return 'lifetimeRequest';
      if (event.path === DEMO_API.signInAge) return 'signInAgeRequest';
      // The demo's own calls with the access token: with a proof by a throwaway key, or as a Bearer token.
      return event.proof ? 'foreignProofCall' : 'bearerCall';
    case 'api':
      return event.retry ? 'retryCall' : 'apiCall';
    case 'peer':
      return 'peerToken';
  }
}

/** What the server checks before it answers; null when the request carries nothing to check. */
function checkLabel(event: AuthEvent): ArrowLabel | null {
  if (event.kind === 'demo' && event.path === DEMO_API.otherDevice) return 'otherDeviceCheck';
  if (event.kind === 'passkey') return 'checkAssertion';
  if (event.sentToken) return event.proof ? 'checkProofIdExp' : 'checkIdExp';
  // A refresh, sign-out or re-authentication is judged against the session's key, with or without a proof.
  if (event.kind === 'refresh' || event.kind === 'logout' || event.kind === 'reauth') return 'checkSessionKey';
  if (event.proof) return 'checkProofBind';
  return null;
}

/** The codes that refuse the proof or the token itself, before the endpoint does anything. */
const CHECK_ERRORS = new Set([
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'missing_token',
  'invalid_token',
  'token_expired',
]);

function verdict(event: AuthEvent, label: ArrowLabel): string {
  if (event.error && CHECK_ERRORS.has(event.error)) return event.error;
  const judgesTheSession = label === 'checkSessionKey' || label === 'otherDeviceCheck';
  if (judgesTheSession && event.error === 'invalid_grant') return event.reason ?? event.error;
  return 'ok';
}

function answer(event: AuthEvent): [ArrowLabel, Tone] {
  const ok = event.status >= 200 && event.status < 300;
  if (event.status === 0) return ['noAnswer', 'bad'];
  if (event.error === 'token_expired') return ['expiredError', 'warn'];
  if (event.error === 'invalid_dpop_proof') return ['proofRefused', 'bad'];
  if (event.reason === 'reused') return ['reuseDetected', 'bad'];
  if (event.reason === 'wrong_key') return ['keyRefused', 'bad'];
  switch (event.kind) {
    case 'login':
    case 'register':
    case 'passkey':
      return ok ? ['tokenIssued', 'ok'] : ['signInRefused', 'bad'];
    case 'passkey-options':
      return ok ? ['passkeyChallenge', 'ok'] : ['failed', 'bad'];
    case 'refresh':
      return ok
        ? ['renewedToken', 'ok']
        : event.error === 'invalid_grant'
          ? ['renewalRefused', 'bad']
          : ['failed', 'bad'];
    case 'logout':
      return ok ? ['loggedOut', 'ok'] : ['failed', 'bad'];
    case 'reauth':
      if (ok) return event.path === API.reauthOptions ? ['reauthChallenge', 'ok'] : ['reauthIssued', 'ok'];
      return event.error === 'invalid_credentials' ? ['reauthRefused', 'bad'] : ['failed', 'bad'];
    case 'api':
      if (ok) return [event.receivedToken ? 'resultNewExp' : 'result', 'ok'];
      if (event.error === 'insufficient_user_authentication') return ['stepUpRequired', 'warn'];
      return event.status === 401 ? ['apiRefused', 'bad'] : ['failed', 'bad'];
    case 'peer':
      return ['peerToken', 'ok'];
    case 'demo':
      if (event.status === 404) return ['demoOff', 'warn'];
      if (event.error === 'grace_window') return ['graceWindow', 'warn'];
      if (event.error === 'no_previous_token') return ['noPrevious', 'warn'];
      if (event.error === 'not_key_bound') return ['notKeyBound', 'warn'];
      if (event.status === 401) return ['apiRefused', 'bad'];
      if (!ok) return ['failed', 'bad'];
      return [event.receivedToken ? 'tokenIssued' : 'result', 'ok'];
  }
}

/** The server's check of a request, and its verdict; null when there was nothing to check (or no answer). */
export function serverCheck(event: AuthEvent): { label: ArrowLabel; verdict: string } | null {
  const label = event.status !== 0 ? checkLabel(event) : null;
  return label && { label, verdict: verdict(event, label) };
}

/** The arrows of one exchange, in the order they happened. */
function arrowsOf(event: AuthEvent): ExchangeArrow[] {
  // Another tab refreshed and handed its token over: no request from this tab, only the token arriving.
  if (event.kind === 'peer') {
    return [{ key: `${event.id}-peer`, event, at: event.at, direction: 'toClient', label: 'peerToken', tone: 'ok' }];
  }
  const arrows: ExchangeArrow[] = [
    {
      key: `${event.id}-request`,
      event,
      at: event.at,
      direction: 'toServer',
      label: requestLabel(event),
      tone: 'request',
    },
  ];
  const check = serverCheck(event);
  if (check) {
    const tone = check.verdict === 'ok' ? 'ok' : 'bad';
    arrows.push({ key: `${event.id}-check`, event, at: event.at, direction: 'onServer', tone, ...check });
  }
  const [label, tone] = answer(event);
  arrows.push({
    key: `${event.id}-answer`,
    event,
    at: event.at + event.durationMs,
    direction: 'toClient',
    label,
    tone,
  });
  return arrows;
}

function browserArrow(event: DbscEvent): BrowserArrow {
  const [label, tone] = DEVICE_ARROWS[event.outcome];
  return { key: `${event.id}-dbsc`, event, at: event.at, direction: 'byBrowser', label, tone };
}

/** Every arrow of the given events, oldest first (a stable sort keeps request, check, answer together on ties). */
export function arrowsFor(events: readonly DemoEvent[]): Arrow[] {
  return events
    .flatMap((event): Arrow[] => (event.kind === 'dbsc' ? [browserArrow(event)] : arrowsOf(event)))
    .sort((a, b) => a.at - b.at);
}
