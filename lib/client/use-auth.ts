import { useSyncExternalStore } from 'react';
import { getAuthState, getServerAuthState, subscribeAuth, type AuthState } from './auth-client';

/** The session as React state (re-renders on every token change; hydrates as the server rendered it). */
export function useAuth(): AuthState {
  return useSyncExternalStore(subscribeAuth, getAuthState, getServerAuthState);
}
