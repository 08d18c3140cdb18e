import 'server-only';
import { getDb } from '@/lib/db';

/**
 * Proofs accepted once and never again: the memory of DPoP proofs' jti (RFC 9449 §11.1) and of the DBSC challenges a
 * proof has answered. Each is kept until the proof could no longer pass its time check anyway.
 *
 * - {@link markUsedInStore}: in the store (table `used_proofs`), which every instance shares — for token endpoints and
 *   DBSC, where a replay must be caught wherever it lands.
 * - {@link markUsedInMemory}: in this instance's memory — for API calls with DPOP_REPLAY=memory, where a store write per
 *   call would cost more than the call.
 */

/** Whose proof it was (the key's thumbprint, or `webauthn:<ceremony>`) and its one-time id (a jti, the challenge it signed). */
export interface ProofUse {
  jkt: string;
  id: string;
}

/**
 * This instance's memory of API-call proofs. When full it forgets the oldest entries and raises a floor: from then on a
 * proof that would expire no later than a forgotten one is refused as too old, so forgetting never lets a replay in.
 */
class SeenProofs {
  readonly #expiries = new Map<string, number>();
  #floor = 0;

  constructor(readonly limit: number) {}

  /** Records a proof; false when it was seen before (or may have been, being older than what was forgotten). */
  add(id: string, expiresAt: number, now: number): boolean {
    if (expiresAt <= this.#floor || this.#expiries.has(id)) return false;
    if (this.#expiries.size >= this.limit) {
      for (const [seen, expiry] of this.#expiries) {
        if (this.#expiries.size < this.limit && expiry > now) break;
        this.#expiries.delete(seen);
        if (expiry > now) this.#floor = Math.max(this.#floor, expiry);
      }
    }
    this.#expiries.set(id, expiresAt);
    return true;
  }
}

const seenInMemory = new SeenProofs(100_000);

/** Records a proof's use in this instance's memory until `expiresAt` (epoch ms); false when it was used before. */
export function markUsedInMemory(use: ProofUse, expiresAt: number, now = Date.now()): boolean {
  return seenInMemory.add(`${use.jkt}.${use.id}`, expiresAt, now);
}

let lastSweep = 0;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Records a proof's use in the store until `expiresAt` (epoch ms): an atomic insert, refused (false) when the same
 * (jkt, id) is already there. Expired rows are swept at most once a minute per instance.
 */
export async function markUsedInStore(use: ProofUse, expiresAt: number, now = Date.now()): Promise<boolean> {
  const db = await getDb();
  if (now - lastSweep > SWEEP_INTERVAL_MS) {
    lastSweep = now;
    await db.deleteFrom('used_proofs').where('expires_at', '<', now).execute();
  }
  const result = await db
    .insertInto('used_proofs')
    .values({ jkt: use.jkt, jti: use.id, expires_at: expiresAt })
    .onConflict((conflict) => conflict.columns(['jkt', 'jti']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
