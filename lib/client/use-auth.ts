import { useSyncExternalStore } from 'react';
import { getAuthState, subscribeAuth, type AuthState } from './auth-client';

/** The session as React state (re-renders on every token change). */
export function useAuth(): AuthState {
  return useSyncExternalStore(subscribeAuth, getAuthState, getAuthState);
}
