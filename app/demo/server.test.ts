import { afterAll, describe, expect, it } from 'vitest';
import { registerUser } from '@/lib/auth/accounts';
import { startSession } from '@/lib/auth/sessions';
import { verifyRefreshToken } from '@/lib/auth/tokens';
import { getConfig } from '@/lib/config';
import { closeDb, getDb } from '@/lib/db';
import { expectAuthError, refreshWith, TEST_JKT } from '@/test/auth';
import { newProofKey } from '@/test/dpop';
import { assertSameSession, refreshFromAnotherDevice, replayPreviousRefreshToken } from './server';

afterAll(closeDb);

const newUser = () =>
  registerUser({ username: `d${crypto.randomUUID().slice(0, 12)}`, password: 'long enough password' });
const newSession = async () => startSession(await newUser(), {});
/** What the caller's own browser presents: the key refreshWith binds the session to, no bound cookie. */
const PRESENTED = { proofJkt: TEST_JKT, boundCookie: null };

describe('demo: replaying the previous refresh token', () => {
  it('refuses before any rotation, and inside the grace window', async () => {
    const issued = await newSession();
    expect(await replayPreviousRefreshToken(await verifyRefreshToken(issued.refreshToken), PRESENTED)).toEqual({
      error: 'no_previous_token',
    });
    const next = await refreshWith(issued.refreshToken);
    const grace = await replayPreviousRefreshToken(await verifyRefreshToken(next.refreshToken), PRESENTED);
    expect(grace).toMatchObject({ error: 'grace_window' });
    expect(grace.error === 'grace_window' && grace.retryAfter).toBeGreaterThan(0);
  });

  it('after the grace window, fires reuse detection and revokes the session', async () => {
    const issued = await newSession();
    const next = await refreshWith(issued.refreshToken);
    const db = await getDb();
    // Let the grace window pass in the store rather than in wall-clock time.
    await db
      .updateTable('sessions')
      .set({ rotated_at: Date.now() - (getConfig().REFRESH_GRACE_SECONDS + 1) * 1000 })
      .where('id', '=', issued.sessionId)
      .execute();
    await expectAuthError(
      replayPreviousRefreshToken(await verifyRefreshToken(next.refreshToken), PRESENTED),
      'invalid_grant',
      { reason: 'reused' },
    );
    await expectAuthError(refreshWith(next.refreshToken), 'invalid_grant', { reason: 'reused' });
  });
});

describe('demo: the refresh cookie from another device', () => {
  const REFRESH_URL = 'http://localhost:3000/api/auth/refresh';

  it('is refused with wrong_key by a proof from another key, recorded, and the session goes on with its own key', async () => {
    const key = await newProofKey();
    const issued = await startSession(await newUser(), { jkt: key.jkt });
    const result = await refreshFromAnotherDevice(await verifyRefreshToken(issued.refreshToken), REFRESH_URL);
    if ('error' in result) throw new Error(`expected a refusal, got ${result.error}`);
    expect(result.refusal.code).toBe('invalid_grant');
    expect(result.refusal.detail).toMatchObject({ reason: 'wrong_key', cause: 'key_lost' });
    expect(result.jkt).not.toBe(key.jkt);

    const db = await getDb();
    const session = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', issued.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.revoked_at).toBeNull();
    expect(session.current_jti).toBe((await verifyRefreshToken(issued.refreshToken)).jti);
    const events = await db
      .selectFrom('security_events')
      .select('kind')
      .where('session_id', '=', issued.sessionId)
      .execute();
    expect(events.map((event) => event.kind)).toEqual(['dpop_key_mismatch']);
    expect((await refreshWith(issued.refreshToken, new Date(), { proofJkt: key.jkt })).sessionId).toBe(
      issued.sessionId,
    );
  });

  it('does not try with a session bound to no key (its cookie would work anywhere, and would rotate)', async () => {
    const issued = await newSession();
    expect(await refreshFromAnotherDevice(await verifyRefreshToken(issued.refreshToken), REFRESH_URL)).toEqual({
      error: 'not_key_bound',
    });
    const db = await getDb();
    const session = await db
      .selectFrom('sessions')
      .select(['dpop_jkt', 'generation'])
      .where('id', '=', issued.sessionId)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ dpop_jkt: null, generation: 0 });
  });

  it('acts only on the session of the access token that came with the cookie', async () => {
    const issued = await newSession();
    const mine = { accessClaims: issued.accessClaims, refreshClaims: await verifyRefreshToken(issued.refreshToken) };
    const other = await newSession();
    expect(() => assertSameSession(mine.accessClaims, mine.refreshClaims)).not.toThrow();
    const theirs = await verifyRefreshToken(other.refreshToken);
    expect(() => assertSameSession(mine.accessClaims, theirs)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
