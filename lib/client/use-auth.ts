'use client';

import { useEffect, useSyncExternalStore } from 'react';
import { getAuthState, restoreSession, subscribeAuth, type AuthState } from './auth-client';

/** The session as React state (re-renders on every token change). */
export function useAuth(): AuthState {
  return useSyncExternalStore(subscribeAuth, getAuthState, getAuthState);
}

/** The login URL for a session that ended, keeping the reason and the page to come back to. */
export function loginUrl(reason: string | null): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  params.set('next', window.location.pathname + window.location.search);
  return `/login?${params}`;
}

/**
 * For protected pages: restores the session from the refresh cookie on load (no flash of the login page), and leaves
 * for /login with the reason as soon as the session ends.
 */
export function useRequireSession(): AuthState {
  const auth = useAuth();
  useEffect(() => {
    restoreSession().catch(() => {
      // Transient (offline, 5xx): the state says "reconnecting"; the next call retries.
    });
  }, []);
  useEffect(() => {
    if (auth.status === 'unauthenticated') window.location.replace(loginUrl(auth.endedBecause ?? 'missing'));
  }, [auth.status, auth.endedBecause]);
  return auth;
}
