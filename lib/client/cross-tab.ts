import type { LoginReason, TokenBody } from '@/lib/protocol';

/**
 * Coordination between the tabs of one browser: one tab refreshes at a time (Web Locks) and hands the new access token
 * to the others (BroadcastChannel), which then need no refresh of their own. Sign-in and sign-out travel the same way.
 * Where either API is missing the tab works alone, and the server's grace window still keeps racing tabs signed in.
 */

export type TabMessage =
  | { type: 'tokens'; body: TokenBody; from: string }
  | { type: 'ended'; reason: LoginReason; from: string };

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

/**
 * Runs `run` holding the browser's session lock: refreshes and sign-ins (which replace the DPoP key) take turns across
 * tabs. Without Web Locks, or when the holder hangs past LOCK_WAIT_MS, it runs without the lock.
 */
export async function withSessionLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = inBrowser ? navigator.locks : undefined;
  if (!locks) return run();
  try {
    return await locks.request('jwt-session-refresh', { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, run);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') return run();
    throw error;
  }
}

/**
 * Runs `refresh` while holding the session lock. `adopted()` is asked first, under the lock: when another tab
 * refreshed while this one waited, it returns that tab's tokens and no request is made.
 */
export function withRefreshLock(adopted: () => TokenBody | null, refresh: () => Promise<TokenBody>): Promise<TokenBody> {
  return withSessionLock(async () => {
    const fromPeer = adopted();
    if (fromPeer) return fromPeer;
    const body = await refresh();
    await new Promise((resolve) => setTimeout(resolve, HANDOFF_MS));
    return body;
  });
}
