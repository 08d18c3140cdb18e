import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, storeClockMs } from '@/lib/db';
import { StoreUnavailableError } from '@/lib/db/errors';
import type { PublicUser } from '@/lib/protocol';
import { expectAuthError } from '@/test/auth';
import { expectRejection } from '@/test/rejection';
import { registerUser } from './accounts';
import {
  MAX_STALE_MS,
  OVERLAP_MS,
  RevocationSet,
  readRevocations,
  revocations,
  type RevocationPoll,
  type StoredRevocation,
} from './revocations';
import { revokeSession, revokeUserSessions, startSession } from './sessions';

afterAll(closeDb);

const POLL_MS = 500;
const WINDOW_MS = 130_000;

/** A set on a fake clock whose store is a list of rows the test controls; counts the polls it answers. */
function fakeStore(start = 1_000_000) {
  let now = start;
  const rows: StoredRevocation[] = [];
  let failure: Error | null = null;
  const calls: number[] = [];
  const poll: RevocationPoll = async (since) => {
    calls.push(since);
    if (failure) throw failure;
    return rows.filter((row) => row.revokedAt > since);
  };
  const set = new RevocationSet({ pollMs: POLL_MS, windowMs: WINDOW_MS, poll, clock: () => now });
  return {
    set,
    calls,
    advance: (ms: number) => (now += ms),
    now: () => now,
    revokeElsewhere: (id: string, revokedAt = now) => rows.push({ id, revokedAt, storeNow: now }),
    fail: (error: Error | null) => (failure = error),
  };
}

const refused = (set: RevocationSet, sid: string) => expectAuthError(set.assertNotRevoked(sid), 'invalid_token');

describe('the revocation set', () => {
  it('refuses a session revoked here at once, until no token of it can be valid, then forgets it', async () => {
    const store = fakeStore();
    await store.set.assertNotRevoked('s1');
    store.set.add(['s1']);
    await refused(store.set, 's1');
    await store.set.assertNotRevoked('s2');
    expect(store.set.size).toBe(1);
    store.advance(WINDOW_MS - 1);
    await refused(store.set, 's1');
    store.advance(1);
    await store.set.assertNotRevoked('s1');
    expect(store.set.size).toBe(0);
  });

  it('reads the store at most once per poll interval, once for all the requests waiting', async () => {
    const store = fakeStore();
    await Promise.all([store.set.assertNotRevoked('a'), store.set.assertNotRevoked('b')]);
    expect(store.calls).toHaveLength(1);
    store.advance(POLL_MS - 1);
    await store.set.assertNotRevoked('a');
    expect(store.calls).toHaveLength(1);
    store.revokeElsewhere('a');
    store.advance(1);
    await Promise.all([refused(store.set, 'a'), store.set.assertNotRevoked('b'), refused(store.set, 'a')]);
    expect(store.calls).toHaveLength(2);
  });

  it('keeps a revocation read from the store for the window after the store says it happened, whatever the clocks', async () => {
    let now = 1_000_000;
    // The store's clock is an hour ahead of this instance's: only the difference between its two readings counts.
    const storeNow = now + 3_600_000;
    const rows: StoredRevocation[] = [{ id: 'late', revokedAt: storeNow - 10_000, storeNow }];
    const set = new RevocationSet({ pollMs: POLL_MS, windowMs: WINDOW_MS, poll: async () => rows, clock: () => now });
    await refused(set, 'late');
    now += WINDOW_MS - 10_000 - 1;
    await refused(set, 'late');
    now += 1;
    rows.length = 0;
    await set.assertNotRevoked('late');
    expect(set.size).toBe(0);
  });

  it('asks again from before the newest revocation it saw, so rows sharing a time or committed late are not skipped', async () => {
    const store = fakeStore();
    store.revokeElsewhere('first', store.now());
    await refused(store.set, 'first');
    store.advance(POLL_MS);
    // Written with the same store time as the one already seen, and one a second earlier (a statement that committed
    // after it): both are read on the next poll.
    store.revokeElsewhere('same-time', store.now() - POLL_MS);
    store.revokeElsewhere('committed-late', store.now() - POLL_MS - 1_000);
    await refused(store.set, 'same-time');
    await refused(store.set, 'committed-late');
    expect(store.calls.at(-1)).toBe(store.now() - POLL_MS - OVERLAP_MS);
  });

  it('judges by the last set read while the store is down, refusing what it knows, then answers 503', async () => {
    const store = fakeStore();
    store.revokeElsewhere('known');
    await refused(store.set, 'known');
    store.fail(new StoreUnavailableError('down'));
    store.advance(POLL_MS);
    await store.set.assertNotRevoked('other');
    await refused(store.set, 'known');
    store.advance(MAX_STALE_MS - POLL_MS);
    await store.set.assertNotRevoked('other');
    store.advance(1);
    await expectRejection(store.set.assertNotRevoked('other'), StoreUnavailableError);
    await refused(store.set, 'known');
    // The store answers again: served again from the next poll interval on.
    store.fail(null);
    store.advance(POLL_MS);
    await store.set.assertNotRevoked('other');
  });

  it('serves nobody blind: with no set read yet, a store that is down answers 503', async () => {
    const store = fakeStore();
    store.fail(new StoreUnavailableError('down'));
    await expectRejection(store.set.assertNotRevoked('any'), StoreUnavailableError);
  });

  it('waits for a store that hangs no longer than the set may still be used', async () => {
    let now = 0;
    let hang = false;
    const set = new RevocationSet({
      pollMs: 50,
      windowMs: WINDOW_MS,
      maxStaleMs: 200,
      poll: () => (hang ? new Promise<never>(() => {}) : Promise.resolve([])),
      clock: () => now,
    });
    await set.assertNotRevoked('a');
    hang = true;
    now = 100;
    const started = Date.now();
    const judged = set.assertNotRevoked('a');
    // The real timer bounds the wait; this fake clock says the set became too old meanwhile.
    now = 201;
    await expectRejection(judged, StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('the revocation set and the store', () => {
  const newUser = (): Promise<PublicUser> =>
    registerUser({ username: `r${crypto.randomUUID().slice(0, 12)}`, password: 'correct horse battery' });

  it('takes in every session this instance revokes at once, and only those', async () => {
    const user = await newUser();
    const [one, two, three] = [
      await startSession(user, {}),
      await startSession(user, {}),
      await startSession(user, {}),
    ];
    const set = revocations();
    await set.assertNotRevoked(one.sessionId);
    await revokeSession(one.sessionId, 'signed_out');
    await refused(set, one.sessionId);
    await set.assertNotRevoked(two.sessionId);
    expect(await revokeUserSessions(user.id, { except: three.sessionId, reason: 'revoked' })).toBe(1);
    await refused(set, two.sessionId);
    await set.assertNotRevoked(three.sessionId);
  });

  it("reads another instance's revocations, by the store's clock, in one indexed query", async () => {
    const user = await newUser();
    const issued = await startSession(user, {});
    const elsewhere = await startSession(user, {});
    const db = await getDb();
    const since = (await readRevocations(0, WINDOW_MS)).reduce((newest, row) => Math.max(newest, row.revokedAt), 0);
    // Written as another instance would: in the store only, not in this instance's set.
    await db
      .updateTable('sessions')
      .set({ revoked_at: 1, revoked_store_at: storeClockMs(db), revoke_reason: 'revoked' })
      .where('id', 'in', [issued.sessionId, elsewhere.sessionId])
      .execute();
    const rows = await readRevocations(since - OVERLAP_MS, WINDOW_MS);
    expect(rows.map((row) => row.id)).toEqual(expect.arrayContaining([issued.sessionId, elsewhere.sessionId]));
    const row = rows.find((found) => found.id === issued.sessionId)!;
    expect(Math.abs(row.storeNow - Date.now())).toBeLessThan(2_000);
    expect(row.storeNow).toBeGreaterThanOrEqual(row.revokedAt);
    // Older than the window: not read.
    expect((await readRevocations(since - OVERLAP_MS, 0)).map((found) => found.id)).not.toContain(issued.sessionId);
  });
});
