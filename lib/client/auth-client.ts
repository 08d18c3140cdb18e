/**
 * The browser side of the session, as pages use it. The access token lives only in memory (session.ts); the refresh
 * token is in an httpOnly cookie the browser sends to /api/auth/refresh by itself. Both are bound to this browser's
 * DPoP key (dpop.ts): every request that uses one carries a proof signed by it (transport.ts), made at sign-in
 * (sign-in.ts) and kept in IndexedDB. When the key is gone the refresh is refused (`wrong_key`) and the session ends
 * here with the reason `key_lost`. What happens on a 401 is auth-fetch.ts; how a refresh is shared and retried,
 * refresh.ts; the page load's refresh, started before hydration and adopted by restoreSession, early-refresh.ts; how to
 * watch it all, exchanges.ts.
 */

export { authFetch, restoreSession } from './auth-fetch';
export { observeExchanges, observedFetch, type Exchange, type ExchangeInfo, type ExchangeListener } from './exchanges';
export { refresh, SessionEndedError, TransientAuthError } from './refresh';
export {
  adoptTokens,
  forgetSession,
  getAuthState,
  getServerAuthState,
  subscribeAuth,
  type AuthState,
  type AuthStatus,
} from './session';
export { login, logout, register, SignInError } from './sign-in';
