import type { LoginReason, TokenBody } from '@/lib/protocol';

/**
 * Coordination between the tabs of one browser: one tab at a time changes the session's credentials — a refresh, or a
 * sign-in that replaces the DPoP key — under one Web Lock, and hands the new access token to the others
 * (BroadcastChannel), which then need no refresh of their own. Sign-in and sign-out travel the same way. Where either
 * API is missing the tab works alone, and the server's grace window still keeps racing tabs signed in.
 */

export type TabMessage =
  { type: 'tokens'; body: TokenBody; from: string } | { type: 'ended'; reason: LoginReason; from: string };

/** This tab's name in messages and in the demo's diagram. */
export const tabId = Math.random().toString(36).slice(2, 6);

const inBrowser = typeof window !== 'undefined';
const channel = inBrowser && typeof BroadcastChannel === 'function' ? new BroadcastChannel('jwt-session') : null;

/** Tells the other tabs (never this one). */
export function broadcast(message: TabMessage): void {
  channel?.postMessage(message);
}

/** Listens to the other tabs. */
export function onTabMessage(handler: (message: TabMessage) => void): void {
  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => handler(event.data));
}

/** A tab that cannot get the lock in this time (its holder hung) refreshes without it. */
const LOCK_WAIT_MS = 15_000;
/** The lock is held this much longer after a refresh, so the broadcast reaches the waiting tabs before they get it. */
const HANDOFF_MS = 50;

/** The Web Lock every tab of this origin takes before it changes the session's credentials. */
const CREDENTIALS_LOCK = 'jwt-session-credentials';

/**
 * Runs `run` holding the browser's credentials lock: refreshes and sign-ins (which replace the DPoP key) take turns
 * across tabs. Without Web Locks, or when the holder hangs past LOCK_WAIT_MS, it runs without the lock.
 */
export async function withCredentialsLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = inBrowser ? navigator.locks : undefined;
  if (!locks) return run();
  try {
    return await locks.request(CREDENTIALS_LOCK, { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, run);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') return run();
    throw error;
  }
}

/**
 * Runs `refresh` in this tab's turn under the credentials lock. `adopted()` is asked first, in that turn: when another
 * tab refreshed while this one waited, it returns that tab's tokens and no request is made.
 */
export function refreshInTurn(adopted: () => TokenBody | null, refresh: () => Promise<TokenBody>): Promise<TokenBody> {
  return withCredentialsLock(async () => {
    const fromPeer = adopted();
    if (fromPeer) return fromPeer;
    const body = await refresh();
    await new Promise((resolve) => setTimeout(resolve, HANDOFF_MS));
    return body;
  });
}
