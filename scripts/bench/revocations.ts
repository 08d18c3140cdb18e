// What the revocation set (lib/auth/revocations.ts) costs an instance, measured on the real module and the real query:
// the poll's time against a sessions table of 100,000 rows, the set's memory per 10,000 revoked sessions, and the
// per-request check. Run by `npm run bench` (after its HTTP rows) with tsx and the react-server condition, as
// `npm run migrate` is; on SQLite in a temporary directory, or on the Postgres BENCH_DATABASE_URL names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'jwt-session-bench-revocations-'));
process.env.DATABASE_PATH = join(dir, 'app.db');
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
process.env.AUTH_SECRET ??= 'bench-secret-bench-secret-bench-secret-0123456789';

// Imported after the environment above is set: the configuration is read on first use.
import { sql } from 'kysely';
import { OVERLAP_MS, RevocationSet, readRevocations } from '@/lib/auth/revocations';
import { getConfig } from '@/lib/config';
import { closeDb, getDb, storeClockMs } from '@/lib/db';

const SESSIONS = 100_000;
const MASS = 10_000;

/** Mean milliseconds of `run` over at least `seconds` (and 20 runs). */
async function timed(run: () => Promise<unknown>, seconds = 1): Promise<number> {
  await run();
  const started = performance.now();
  let runs = 0;
  while (runs < 20 || performance.now() - started < seconds * 1000) {
    await run();
    runs += 1;
  }
  return (performance.now() - started) / runs;
}

async function seed(): Promise<void> {
  const db = await getDb();
  await db.deleteFrom('sessions').execute();
  await db.deleteFrom('users').execute();
  await db
    .insertInto('users')
    .values({ id: 'u', username: 'bench', password_hash: null, created_at: 0, password_changed_at: 0 })
    .execute();
  const now = Date.now();
  const rows = Array.from({ length: SESSIONS }, (_, index) => ({
    id: crypto.randomUUID(),
    user_id: 'u',
    current_jti: 'j',
    current_iat: 0,
    current_exp: 0,
    created_at: 0,
    last_used_at: 0,
    absolute_expires_at: 0,
    // Half of them revoked long ago (a store with history): outside every window.
    revoked_at: index % 2 === 0 ? now - 86_400_000 : null,
    revoked_store_at: index % 2 === 0 ? now - 86_400_000 : null,
    revoke_reason: index % 2 === 0 ? 'signed_out' : null,
    user_agent: null,
    dpop_jkt: null,
    dbsc_jwk: null,
    dbsc_proved_at: null,
    access_ttl: null,
    amr: 'pwd',
    auth_time: 0,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('sessions')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

/** Revokes `count` of the open sessions now, as the app does (the store's clock). */
async function revokeNow(count: number): Promise<void> {
  const db = await getDb();
  const ids = (await db.selectFrom('sessions').select('id').where('revoked_at', 'is', null).limit(count).execute()).map(
    (row) => row.id,
  );
  for (let start = 0; start < ids.length; start += 500) {
    await db
      .updateTable('sessions')
      .set({ revoked_at: Date.now(), revoked_store_at: storeClockMs(db), revoke_reason: 'revoked' })
      .where('id', 'in', ids.slice(start, start + 500))
      .execute();
  }
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function main() {
  const windowMs = (getConfig().ACCESS_TOKEN_TTL + 10) * 1000;
  const pollsPerSecond = 1000 / getConfig().REVOCATION_POLL_MS;
  await seed();
  const db = await getDb();
  const roundTrip = await timed(() => sql`select 1`.execute(db));
  const newest = async () =>
    (await readRevocations(0, windowMs)).reduce((latest, row) => Math.max(latest, row.revokedAt), 0);
  const steady = await timed(() => readRevocations(Date.now() - OVERLAP_MS, windowMs));
  // A fresh instance: nothing seen yet (the history is outside the window, so it reads none of it).
  const cold = await timed(() => readRevocations(-OVERLAP_MS, windowMs));
  await revokeNow(1);
  const since = (await newest()) - OVERLAP_MS;
  const one = await timed(() => readRevocations(since, windowMs));
  await revokeNow(MASS);
  const mass = await timed(() => readRevocations(0, windowMs), 1);

  const before = heapAfterGc();
  const set = new RevocationSet({ pollMs: 500, windowMs, poll: async () => [] });
  set.add(Array.from({ length: MASS }, () => crypto.randomUUID()));
  const bytes = heapAfterGc() - before;
  const known = Array.from({ length: 1000 }, () => crypto.randomUUID());
  const checkStarted = performance.now();
  const checks = 200_000;
  for (let index = 0; index < checks; index += 1) await set.assertNotRevoked(known[index % known.length]!);
  const checkNs = ((performance.now() - checkStarted) / checks) * 1e6;

  const store = process.env.DATABASE_URL ? 'Postgres' : 'SQLite';
  const ms = (value: number) => value.toFixed(3);
  console.log(
    [
      `\nRevocation set (${store}, ${SESSIONS.toLocaleString('en')} sessions, half revoked a day ago; ` +
        `REVOCATION_POLL_MS ${getConfig().REVOCATION_POLL_MS}: at most ${pollsPerSecond} polls/s per instance, only while requests come)`,
      `  store round trip (select 1)         ${ms(roundTrip)} ms  (for scale)`,
      `  poll, nothing new                   ${ms(steady)} ms  → ${ms(steady * pollsPerSecond)} ms of store time per second per instance`,
      `  poll, a new instance, nothing new   ${ms(cold)} ms`,
      `  poll, one revocation in the overlap ${ms(one)} ms`,
      `  poll, ${MASS.toLocaleString('en')} revoked in the window   ${ms(mass)} ms  (a new instance's first poll after a mass revocation)`,
      `  memory per ${MASS.toLocaleString('en')} revoked sessions   ${(bytes / 1024).toFixed(0)} KiB (${Math.round(bytes / MASS)} B each)` +
        ((globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: rough)'),
      `  check per request (set fresh)       ${checkNs.toFixed(0)} ns`,
    ].join('\n'),
  );
}

main()
  .finally(async () => {
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
