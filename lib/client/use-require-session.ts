import { useEffect } from 'react';
import { restoreSession, type AuthState } from './auth-client';
import { useAuth } from './use-auth';

/** The login URL for a session that ended, keeping the reason and the page to come back to. */
function loginUrl(reason: string | null): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  params.set('next', window.location.pathname + window.location.search);
  return `/login?${params}`;
}

/** Seconds between attempts to restore a session while the server cannot be reached: 2, 4, 8 … up to 30. */
const backoff = (attempt: number) => Math.min(30, 2 ** attempt) * 1000;

/**
 * For protected pages: restores the session from the refresh cookie on load (no flash of the login page), keeps trying
 * with back-off while the server is unreachable (and at once when the browser comes back online), and leaves for /login
 * with the reason as soon as the session ends — in this tab or any other.
 */
export function useRequireSession(): AuthState {
  const auth = useAuth();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const tryRestore = () => {
      clearTimeout(timer);
      restoreSession().catch(() => {
        attempt += 1;
        timer = setTimeout(tryRestore, backoff(attempt));
      });
    };
    tryRestore();
    window.addEventListener('online', tryRestore);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', tryRestore);
    };
  }, []);
  useEffect(() => {
    if (auth.status === 'unauthenticated') window.location.replace(loginUrl(auth.endedBecause ?? 'missing'));
  }, [auth.status, auth.endedBecause]);
  return auth;
}
