import { expect } from 'vitest';
import { readRefreshCookie, sealRefreshToken } from '@/lib/auth/cookie';
import { AuthError, type AuthErrorCode, type AuthErrorDetail } from '@/lib/auth/errors';
import { expiredGrantError, refreshSession, type IssuedTokens, type RefreshOptions } from '@/lib/auth/sessions';
import { expectRejection } from './rejection';

/** Helpers shared by the unit tests of the auth layer. */

/** Awaits a promise that must fail with an AuthError of `code` (and, when given, these detail fields); returns it. */
export async function expectAuthError(
  promise: Promise<unknown>,
  code: AuthErrorCode,
  detail?: Partial<AuthErrorDetail>,
): Promise<AuthError> {
  const error = await expectRejection(promise, AuthError);
  expect(error.code).toBe(code);
  if (detail) expect(error.detail).toMatchObject(detail);
  return error;
}

/**
 * Redeems a refresh token as the refresh endpoint does with the cookie that carries it: sealed, read back (unseal +
 * verify at `now`), then rotated — or refused with the same invalid_grant the endpoint would answer.
 */
export async function refreshWith(token: string, now = new Date(), options: Omit<RefreshOptions, 'now'> = {}): Promise<IssuedTokens> {
  const cookie = await readRefreshCookie(await sealRefreshToken(token, 10 * 365 * 86_400), now);
  if (cookie.status === 'valid') return refreshSession(cookie.claims, { ...options, now });
  if (cookie.status === 'expired') throw await expiredGrantError(cookie.sid, now);
  throw new AuthError('invalid_grant', `The refresh cookie is ${cookie.status}.`, { reason: cookie.status });
}
