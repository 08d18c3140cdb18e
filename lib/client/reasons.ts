import type { LoginReason } from '@/lib/protocol';

/** Why the login page is shown, in plain words. */
export const LOGIN_REASONS: Record<LoginReason, string> = {
  signed_out: 'You signed out.',
  expired: 'Your session expired after a period of inactivity. Please sign in again.',
  max_age: 'Your session reached its maximum age. Please sign in again.',
  revoked: 'Your session was revoked from another device.',
  password_changed: 'Your password was changed, so your other sessions were signed out.',
  reused: 'Your session was ended because a stolen or replayed token was detected. Please sign in again.',
  missing: 'Please sign in to continue.',
  invalid: 'Your session is no longer valid. Please sign in again.',
};

export function isLoginReason(value: string | undefined): value is LoginReason {
  return value !== undefined && Object.hasOwn(LOGIN_REASONS, value);
}
