import { expect } from 'vitest';
import { readRefreshCookie, sealRefreshToken } from '@/lib/auth/cookie';
import { AuthError, type AuthErrorCode, type AuthErrorDetail } from '@/lib/auth/errors';
import type { Presented } from '@/lib/auth/binding';
import { expiredGrantError, refreshSession } from '@/lib/auth/rotation';
import type { IssuedTokens } from '@/lib/auth/session-tokens';
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

/** The DPoP key thumbprint {@link refreshWith} presents unless told otherwise (a session started unbound takes it). */
export const TEST_JKT = 't'.repeat(43);

/**
 * Redeems a refresh token as the refresh endpoint does with the cookie that carries it: sealed, read back (unseal +
 * verify at `now`), then rotated — or refused with the same invalid_grant the endpoint would answer. The request
 * presents a proof by {@link TEST_JKT} and no bound cookie, unless `presented` says otherwise.
 */
export async function refreshWith(
  token: string,
  now = new Date(),
  presented: Partial<Presented> = {},
): Promise<IssuedTokens> {
  const cookie = await readRefreshCookie(await sealRefreshToken(token, 10 * 365 * 86_400), now);
  const request = { proofJkt: TEST_JKT, boundCookie: null, ...presented };
  if (cookie.status === 'valid') return refreshSession(cookie.claims, request, now);
  if (cookie.status === 'expired') throw await expiredGrantError(cookie.sid, now);
  throw new AuthError('invalid_grant', `The refresh cookie is ${cookie.status}.`, { reason: cookie.status });
}
