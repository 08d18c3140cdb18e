import { afterAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { closeDb, getDb } from '@/lib/db';
import { registerUser } from './accounts';
import { chooseAccessTtl, replayPreviousRefreshToken } from './demo';
import { AuthError } from './errors';
import { refreshSession, startSession } from './sessions';

afterAll(closeDb);

const newSession = async () =>
  startSession(await registerUser({ username: `d${crypto.randomUUID().slice(0, 12)}`, password: 'long enough password' }), null);

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('demo: choosing the access-token lifetime', () => {
  it('clamps the choice to [5 s, configured] and keeps it for later refreshes', async () => {
    const issued = await newSession();
    const short = await chooseAccessTtl(issued.accessClaims, 1);
    expect(short.accessClaims.exp - short.accessClaims.iat).toBe(5);
    const long = await chooseAccessTtl(issued.accessClaims, 10 * getConfig().accessTtl);
    expect(long.accessClaims.exp - long.accessClaims.iat).toBe(getConfig().accessTtl);
    await chooseAccessTtl(issued.accessClaims, 10);
    const refreshed = await refreshSession(issued.refreshToken);
    expect(refreshed.accessClaims.exp - refreshed.accessClaims.iat).toBe(10);
  });
});

describe('demo: replaying the previous refresh token', () => {
  it('refuses before any rotation, and inside the grace window', async () => {
    const issued = await newSession();
    expect((await failure(replayPreviousRefreshToken(issued.refreshToken))).code).toBe('no_previous_token');
    const next = await refreshSession(issued.refreshToken);
    const grace = await failure(replayPreviousRefreshToken(next.refreshToken));
    expect(grace.code).toBe('grace_window');
    expect(grace.detail.retryAfter).toBeGreaterThan(0);
  });

  it('after the grace window, fires reuse detection and revokes the session', async () => {
    const issued = await newSession();
    const next = await refreshSession(issued.refreshToken);
    const db = await getDb();
    // Let the grace window pass in the store rather than in wall-clock time.
    await db
      .updateTable('sessions')
      .set({ rotated_at: Date.now() - (getConfig().refreshGrace + 1) * 1000 })
      .where('id', '=', issued.sessionId)
      .execute();
    const error = await failure(replayPreviousRefreshToken(next.refreshToken));
    expect(error.code).toBe('invalid_grant');
    expect(error.detail.reason).toBe('reused');
    const refused = await failure(refreshSession(next.refreshToken));
    expect(refused.detail.reason).toBe('reused');
  });
});
