import 'server-only';
import { sql } from 'kysely';
import { getConfig } from '@/lib/config';
import { StoreUnavailableError, getDb, storeClockMs } from '@/lib/db';
import { AuthError } from './errors';
import { CLOCK_TOLERANCE } from './tokens';

/**
 * Revoked means revoked within a second, on every instance, with no store read per request. Each instance keeps the
 * sessions revoked recently enough that one of their access tokens could still verify, each until the moment none
 * can; the guard refuses their tokens (lib/http/guard.ts).
 *
 * - A revocation made here enters the set at once ({@link noteRevoked}, called by lib/auth/sessions.ts, the one
 *   writer of revoked_at).
 * - Those of other instances come from the store: one indexed range query on `sessions.revoked_store_at` (the store's
 *   own clock, so instances whose clocks differ agree), for rows newer than the newest seen less an overlap (rows
 *   sharing a time, or whose statement committed a moment after its clock was read, are read again and deduplicated,
 *   never skipped). It runs when a token request finds the set older than REVOCATION_POLL_MS, once for all requests
 *   waiting (single-flight), and those requests wait for it: no timer, so it works on serverless.
 * - When the store cannot be read, requests are judged by the last set read for up to {@link MAX_STALE_MS}, then
 *   answered 503. A session in the set is refused whatever the store says.
 * - Bounded: an entry lives for ACCESS_TOKEN_TTL plus twice the verification leeway (once for the leeway itself, once
 *   for the clocks of the instance that issued the token and this one, which the leeway already assumes agree within
 *   it) from the revocation, then it is pruned. The set holds the sessions revoked in that window, and no more.
 */

/** How long requests are judged by the last set read when the store cannot be read, before they are answered 503. */
export const MAX_STALE_MS = 5_000;

/**
 * How far before the newest revocation seen each poll reads again: longer than any revoking statement takes from
 * reading the store's clock to its commit.
 */
export const OVERLAP_MS = 5_000;

/** A revocation as the store reports it: the session, and the store's clock at its revocation and at the query. */
export interface StoredRevocation {
  id: string;
  revokedAt: number;
  storeNow: number;
}

/** Reads the revocations after `since` that are less than `windowMs` old, both on the store's clock. */
export type RevocationPoll = (since: number, windowMs: number) => Promise<StoredRevocation[]>;

/** What a {@link RevocationSet} is made of: its timings, its query of the store and its clock. */
export interface RevocationSetOptions {
  /** The least time between two polls (REVOCATION_POLL_MS). */
  pollMs: number;
  /** How long after its revocation a session's tokens could still be accepted, in ms. */
  windowMs: number;
  /** How long the last set read may be used when the store cannot be read ({@link MAX_STALE_MS} by default). */
  maxStaleMs?: number;
  poll: RevocationPoll;
  /** This instance's clock, epoch ms. */
  clock?: () => number;
}

const revokedError = () => new AuthError('invalid_token', 'The session behind this token has ended.');

/** Resolves when `promise` settles or `ms` have passed, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** One instance's set of revoked sessions, each kept until no token of it can still be valid. */
export class RevocationSet {
  readonly #until = new Map<string, number>();
  readonly #options: Required<RevocationSetOptions>;
  /** The newest revocation read from the store, on its clock. */
  #newest = 0;
  /** When the query behind the set as it is now was sent: the set knows every revocation committed before. */
  #syncedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #polling: Promise<void> | undefined;

  constructor(options: RevocationSetOptions) {
    this.#options = { maxStaleMs: MAX_STALE_MS, clock: Date.now, ...options };
  }

  /** Adds sessions revoked on this instance just now. */
  add(ids: Iterable<string>): void {
    const until = this.#options.clock() + this.#options.windowMs;
    for (const id of ids) this.#keep(id, until);
  }

  /** How many sessions the set holds now (expired ones pruned first). */
  get size(): number {
    this.#prune(this.#options.clock());
    return this.#until.size;
  }

  /**
   * Throws `invalid_token` when the session is revoked. Reads the store first when the set is older than the poll
   * interval; throws StoreUnavailableError when it cannot, and the set is older than the staleness allowance.
   */
  async assertNotRevoked(sid: string): Promise<void> {
    const { clock, pollMs, maxStaleMs } = this.#options;
    const now = clock();
    if (this.#revoked(sid, now)) throw revokedError();
    if (now - this.#syncedAt < pollMs) return;
    await this.#sync(now);
    const after = clock();
    if (this.#revoked(sid, after)) throw revokedError();
    if (after - this.#syncedAt > maxStaleMs) {
      throw new StoreUnavailableError('jwt-session-reference: the revoked sessions cannot be read from the store.');
    }
  }

  #revoked(sid: string, now: number): boolean {
    return (this.#until.get(sid) ?? 0) > now;
  }

  #keep(id: string, until: number): void {
    if (until > (this.#until.get(id) ?? 0)) this.#until.set(id, until);
  }

  #prune(now: number): void {
    for (const [id, until] of this.#until) if (until <= now) this.#until.delete(id);
  }

  /**
   * Polls the store unless a poll is under way (then joins it) or one was attempted less than a poll interval ago (it
   * failed: the set stays as it is). Waits for it at most the staleness allowance: a store that hangs is judged as one
   * that is down.
   */
  async #sync(now: number): Promise<void> {
    const { pollMs, maxStaleMs } = this.#options;
    if (!this.#polling && now - this.#attemptedAt >= pollMs) {
      this.#attemptedAt = now;
      this.#polling = this.#poll(now).finally(() => {
        this.#polling = undefined;
      });
    }
    if (this.#polling)
      await within(
        this.#polling.catch(() => {}),
        maxStaleMs,
      );
  }

  async #poll(sentAt: number): Promise<void> {
    const { windowMs, poll, clock } = this.#options;
    const rows = await poll(this.#newest - OVERLAP_MS, windowMs);
    const received = clock();
    for (const row of rows) {
      // The store's time of the revocation on this instance's clock (the offset read as late as possible: never early).
      this.#keep(row.id, row.revokedAt + (received - row.storeNow) + windowMs);
      this.#newest = Math.max(this.#newest, row.revokedAt);
    }
    this.#syncedAt = Math.max(this.#syncedAt, sentAt);
    this.#prune(received);
  }
}

/**
 * The store's query behind the set: one range scan of the partial index on revoked_store_at, from the later of `since`
 * and the window's start (one bound, so that an instance whose newest revocation seen is old does not scan the
 * history in between).
 */
export const readRevocations: RevocationPoll = async (since, windowMs) => {
  const db = await getDb();
  const storeNow = storeClockMs(db);
  const windowStart = sql<number>`${storeNow} - ${windowMs}`;
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'revoked_store_at', storeNow.as('store_now')])
    .where(
      'revoked_store_at',
      '>',
      sql<number>`case when ${since} > ${windowStart} then ${since} else ${windowStart} end`,
    )
    .execute();
  return rows.map((row) => ({ id: row.id, revokedAt: Number(row.revoked_store_at), storeNow: Number(row.store_now) }));
};

// On the global object, not in this module: Next.js gives each route its own module instances, and a revocation made
// by one route must be seen by all of them.
const INSTANCE = Symbol.for('jwt-session-reference.revocations');

/** This instance's set, made on first use from the configuration (REVOCATION_POLL_MS, ACCESS_TOKEN_TTL). */
export function revocations(): RevocationSet {
  const holder = globalThis as { [INSTANCE]?: RevocationSet };
  if (!holder[INSTANCE]) {
    const config = getConfig();
    holder[INSTANCE] = new RevocationSet({
      pollMs: config.REVOCATION_POLL_MS,
      windowMs: (config.ACCESS_TOKEN_TTL + 2 * CLOCK_TOLERANCE) * 1000,
      poll: readRevocations,
    });
  }
  return holder[INSTANCE];
}

/** Puts sessions just revoked on this instance in its set, so their tokens are refused here from the next request. */
export function noteRevoked(ids: Iterable<string>): void {
  revocations().add(ids);
}
