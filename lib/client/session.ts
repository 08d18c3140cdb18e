import type { LoginReason, TokenBody } from '@/lib/protocol';
import { broadcast, onTabMessage, tabId } from './cross-tab';
import { reloadKey } from './dpop';
import { reportExchange } from './exchanges';

/**
 * The session as this tab knows it. The access token lives only in this module's memory: never in web storage, a
 * readable cookie or a URL. Every change is handed to the other tabs (cross-tab.ts), and theirs are taken in here.
 */

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'reconnecting';

export interface AuthState {
  status: AuthStatus;
  accessToken: string | null;
  /** Epoch milliseconds at which the access token expires (by this browser's clock). */
  expiresAt: number;
  /** Epoch milliseconds at which the refresh session ends unless renewed. */
  refreshExpiresAt: number;
  user: TokenBody['user'] | null;
  /** Why the session ended, when it did. */
  endedBecause: LoginReason | null;
}

/** The session before this page restored it: what the server renders, and what hydration must render too. */
const RESTORING: AuthState = {
  status: 'loading',
  accessToken: null,
  expiresAt: 0,
  refreshExpiresAt: 0,
  user: null,
  endedBecause: null,
};

let state = RESTORING;
const listeners = new Set<() => void>();

function setState(patch: Partial<AuthState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

/** The session now (a new object after each change: a useSyncExternalStore snapshot). */
export const getAuthState = (): AuthState => state;

/**
 * The snapshot the server rendered (useSyncExternalStore's getServerSnapshot): hydration renders it even when the
 * page load's early refresh has already answered, then React renders the session as it is — no hydration mismatch.
 */
export const getServerAuthState = (): AuthState => RESTORING;

/** Calls `listener` after every change of {@link getAuthState}; returns the unsubscribe (for useSyncExternalStore). */
export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let latest: TokenBody | null = null;
/** When the refresh session was last extended (tokens adopted), by this browser's clock. */
let refreshedAt = 0;

/** The last token response adopted (login, register, refresh or a peer's), or null once the session ended. */
export const latestTokens = (): TokenBody | null => latest;

/** Whether the refresh session is past half its idle lifetime since it was last extended: time to rotate it. */
export const refreshSessionPastHalf = (now = Date.now()): boolean =>
  state.status === 'authenticated' && now - refreshedAt > (state.refreshExpiresAt - refreshedAt) / 2;

/** Adopts tokens from a login, register or refresh response, and hands them to the other tabs. */
export function adoptTokens(body: TokenBody, fromPeer = false): void {
  const now = Date.now();
  latest = body;
  refreshedAt = now;
  if (!fromPeer) broadcast({ type: 'tokens', body, from: tabId });
  setState({
    status: 'authenticated',
    accessToken: body.accessToken,
    expiresAt: now + body.expiresIn * 1000,
    refreshExpiresAt: now + body.refreshExpiresIn * 1000,
    user: body.user,
    endedBecause: null,
  });
}

/** Replaces the access token with a sliding renewal, unless a newer one (from a refresh) replaced `sentWith` meanwhile. */
export function adoptRenewal(sentWith: string, renewed: string, expiresIn: number): void {
  if (state.accessToken === sentWith) setState({ accessToken: renewed, expiresAt: Date.now() + expiresIn * 1000 });
}

/** Shows "reconnecting" while a signed-in session cannot be refreshed for now (offline, timeout, 429, 5xx). */
export function markReconnecting(): void {
  if (state.status === 'authenticated') setState({ status: 'reconnecting' });
}

/** Forgets the session (after logout or when it ended on the server), in every tab. */
export function forgetSession(reason: LoginReason, fromPeer = false): void {
  latest = null;
  if (!fromPeer) broadcast({ type: 'ended', reason, from: tabId });
  setState({
    status: 'unauthenticated',
    accessToken: null,
    expiresAt: 0,
    refreshExpiresAt: 0,
    user: null,
    endedBecause: reason,
  });
}

onTabMessage((message) => {
  // The other tab may have signed in with a new key: read it again before the next proof.
  reloadKey();
  if (message.type === 'ended') return forgetSession(message.reason, true);
  adoptTokens(message.body, true);
  const handedOver = {
    kind: 'peer',
    tab: message.from,
    method: 'BroadcastChannel',
    path: 'tokens',
    receivedToken: message.body.accessToken,
  } as const;
  reportExchange(handedOver, null, Date.now());
});
