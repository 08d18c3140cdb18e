import { EXCHANGE_HISTORY_ATTRIBUTE } from '@/lib/protocol';
import { keepExchangeHistory } from './exchanges';
import { refresh } from './refresh';

/**
 * The page load's one refresh, started before hydration (instrumentation-client.ts runs this as soon as Next's main
 * script runs, before React hydrates). A full load has no access token — it lives only in memory — so every page that
 * shows the session needs one refresh before it can; starting it here rather than in the page's effect saves
 * hydration, and the key's read from IndexedDB, from the wait. It is the auth client's own refresh (refresh.ts: the
 * DPoP proof, the tabs' credentials lock, the retries), so the page's restoreSession adopts it — the request in flight,
 * or its result — instead of refreshing again. Nothing of the session is in the HTML: the token arrives in the
 * refresh's response, in memory.
 */

/**
 * The pages that restore the session on load (useRequireSession). Only they start a refresh here: any other page
 * (home, login) would make a request it does not need. A signed-out visitor never reaches the protected ones (the page
 * guard sends them to /login), and /dashboard-twin restores on load whether or not one is signed in.
 */
const SESSION_PAGES: readonly string[] = ['/dashboard', '/dashboard-twin', '/sessions', '/demo'];

/**
 * Keeps the exchange history when the page asks for it (before any exchange, so the demo sees this one too), then
 * starts the refresh on a page that restores the session. Its outcome is the page's to handle, when it adopts it.
 */
export function startEarlyRefresh(): void {
  if (document.documentElement.hasAttribute(EXCHANGE_HISTORY_ATTRIBUTE)) keepExchangeHistory();
  if (SESSION_PAGES.includes(location.pathname)) refresh({ early: true }).catch(() => {});
}
