import { describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { expectAuthError } from '@/test/auth';
import { assertRecentSignIn } from './step-up';

describe('step-up: a recent sign-in', () => {
  const maxAge = getConfig().STEP_UP_MAX_AGE;
  const nowMs = 1_800_000_000_000;
  const nowSeconds = nowMs / 1000;

  it('passes up to STEP_UP_MAX_AGE seconds after the sign-in, the last second included', () => {
    expect(() => assertRecentSignIn({ auth_time: nowSeconds }, nowMs)).not.toThrow();
    expect(() => assertRecentSignIn({ auth_time: nowSeconds - maxAge }, nowMs)).not.toThrow();
  });

  it('past it, refuses with insufficient_user_authentication and the max age the challenge names', async () => {
    const error = await expectAuthError(
      (async () => assertRecentSignIn({ auth_time: nowSeconds - maxAge - 1 }, nowMs))(),
      'insufficient_user_authentication',
    );
    expect(error.detail.maxAge).toBe(maxAge);
  });
});
