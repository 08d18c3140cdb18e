import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/lib/db';
import { expectAuthError, refreshWith } from '@/test/auth';
import { registerUser } from './accounts';
import { countRefresh, REFRESH_LIMIT } from './refresh-limit';
import { startSession } from './sessions';

afterAll(closeDb);

const newSession = async () =>
  startSession(
    await registerUser({ username: `q${crypto.randomUUID().slice(0, 12)}`, password: 'long enough password' }),
    {},
  );
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function counter(sessionId: string) {
  const db = await getDb();
  return db
    .selectFrom('sessions')
    .select(['refresh_count', 'refresh_window_start', 'generation'])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
}

describe('the refresh limit of a session', () => {
  it('is counted by the rotation itself, and refuses with 429 (Retry-After) past the limit, rotating nothing', async () => {
    const t0 = new Date();
    const issued = await newSession();
    const next = await refreshWith(issued.refreshToken, t0);
    expect(await counter(issued.sessionId)).toMatchObject({
      refresh_count: 1,
      refresh_window_start: t0.getTime(),
      generation: 1,
    });
    for (let i = 1; i < REFRESH_LIMIT.requests; i++) await countRefresh(issued.sessionId, t0.getTime());
    const refused = await expectAuthError(refreshWith(next.refreshToken, at(t0, 1000)), 'rate_limited');
    expect(refused.detail.retryAfter).toBe(REFRESH_LIMIT.windowMs / 1000 - 1);
    expect((await counter(issued.sessionId)).generation).toBe(1);
  });

  it('opens a new window once the last one is over', async () => {
    const t0 = new Date();
    const issued = await newSession();
    for (let i = 0; i < REFRESH_LIMIT.requests; i++) await countRefresh(issued.sessionId, t0.getTime());
    await expectAuthError(countRefresh(issued.sessionId, t0.getTime()), 'rate_limited');
    const later = at(t0, REFRESH_LIMIT.windowMs + 1);
    await refreshWith(issued.refreshToken, later);
    expect(await counter(issued.sessionId)).toMatchObject({ refresh_count: 1, refresh_window_start: later.getTime() });
  });

  it('counts grace-window retries and refusals too', async () => {
    const t0 = new Date();
    const issued = await newSession();
    await refreshWith(issued.refreshToken, t0);
    await refreshWith(issued.refreshToken, at(t0, 1000));
    await expectAuthError(refreshWith(issued.refreshToken, at(t0, 2000), { proofJkt: null }), 'invalid_grant', {
      reason: 'wrong_key',
    });
    expect((await counter(issued.sessionId)).refresh_count).toBe(3);
  });
});
