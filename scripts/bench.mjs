// `npm run bench`: each auth path against a baseline that pays the same framework cost, on `next build` + `next start`.
// `npm run bench -- --quick` (or BENCH_QUICK=1) proves the harness still works in well under a minute;
// `--no-build` uses the build that is there even when sources look newer (npm test: its e2e servers run from it);
// `npm run size` checks the first-load JS only; `--content-only` runs the time-to-content section alone (`--loads N`
// full loads per CPU rate); the revocation set's costs close every full or quick run. What each row measures, and why
// its baseline is fair: docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { rmSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hash, verify } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import {
  ensureBuild,
  ensureBuildOfRef,
  ensureBuildWithoutMiddleware,
  serverEnv,
  startServer,
} from './bench/app-server.mjs';
import { newKey, proof, ProofPool } from './bench/dpop.mjs';
import { assertion, newPasskey } from './bench/passkey.mjs';
import { addedJs, firstLoadJs, instrumentationJs, sharedJs } from './bench/first-load-js.mjs';
import { alternate, percentiles, ratio, run, summarize } from './bench/load.mjs';
import { timeToContent } from './bench/time-to-content.mjs';

/** @typedef {import('./bench/load.mjs').Side} Side */
/** @typedef {import('./bench/load.mjs').Sample} Sample */

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    'size-only': { type: 'boolean', default: false },
    'content-only': { type: 'boolean', default: false },
    loads: { type: 'string' },
    // A git revision whose build the time-to-content section loads too, interleaved with this one: before and after.
    'content-baseline': { type: 'string' },
    // Use the build that is there (npm test's, which its e2e servers are running from) even if sources look newer.
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
  },
});
// Many short rounds rather than a few long ones: on shared cores a neighbour's burst then spoils one round, not a side.
const plan = options.quick ? { rounds: 2, seconds: 1, warmup: 0.3 } : { rounds: 12, seconds: 1, warmup: 1 };
if (options.rounds) plan.rounds = Number(options.rounds);
if (options.seconds) plan.seconds = Number(options.seconds);
/** Full page loads per CPU rate in the time-to-content section. */
const LOADS = Number(options.loads ?? (options.quick ? 3 : 15));

/**
 * Ports 3500-3599 are this benchmark's: the app on PORT, its middleware-less build on PORT + 1, the app with
 * DPOP_MODE=off (Bearer tokens) on PORT + 2, the time-to-content section's baseline build (--content-baseline) on
 * PORT + 3.
 */
const PORT = Number(process.env.BENCH_PORT ?? 3500);
const CONNECTIONS = 10;
const GOALS = {
  page: 0.95,
  freshPage: 0.6,
  me: 0.8,
  refresh: 0.4,
  loginsPerSecond: 100,
  authClientBytes: 3072,
  /** Content visible at most this long after DOMContentLoaded plus the refresh's own round trip, unthrottled. */
  contentOverRoundTripMs: 20,
};
/**
 * `npm run size` fails above this many bytes: a guard against regressions, set above the 3 kB goal, which the DPoP
 * signing library (panva's dpop, ~1.4 kB gzip; the issue rules out hand-written JWS) puts out of reach. The table says
 * whether the goal is met. It was 4,096 until the early refresh (issue 22): that added ~200 B (the module that starts
 * it, the rule by which restoreSession adopts it, the demo's early flag) and moved the refresh path into Next's main
 * scripts, where the measure now follows it (docs/benchmarks.md); then 4,352 until the strict page policy (issue 19)
 * put the page's Trusted Types policy into the same instrumentation module (~120 B, counted with it: the bundler merges
 * the two) and step-up gave authFetch its retry after re-authentication (~60 B).
 */
const AUTH_CLIENT_CEILING = 4608;
const PASSWORD = 'bench-password-1';
const USERS = Array.from({ length: 8 }, (_, index) => `bench-${index}`);
/** Rotations per session before a connection moves to a fresh one: real clients refresh a session far less often. */
const ROTATIONS_PER_SESSION = 100;
/** A run may make this many times the requests of the side's fastest run so far: as many proofs are made for it. */
const PROOF_HEADROOM = 2;

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
async function cleanUp() {
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => {});
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

/** @param {string} dir @param {number} port @param {Record<string, string>} [settings] over serverEnv()'s */
async function launch(dir, port, settings = {}) {
  const { dataDir, databasePath, env } = serverEnv();
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dir, port, env: { ...env, ...settings } });
  cleanups.push(server.stop);
  return { url: server.url, pid: server.pid, databasePath };
}

/**
 * Signs in through the API as the browser would, with a DPoP proof by `key` (the session is bound to it; a server with
 * DPOP_MODE=off ignores the proof); returns the access token and the refresh cookie as `name=value`.
 * @param {string} url @param {'login' | 'register'} kind @param {string} username
 * @param {import('./bench/dpop.mjs').KeyPair} key
 */
async function signIn(url, kind, username, key) {
  const endpoint = `${url}/api/auth/${kind}`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dpop: await proof(key, 'POST', endpoint) },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!response.ok)
    throw new Error(`bench: ${kind} as ${username} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error(`bench: ${kind} set no cookie`);
  return { accessToken: /** @type {{ accessToken: string }} */ (await response.json()).accessToken, cookie };
}

/** @param {string[]} raw autocannon's response headers, [name, value, name, value, …] @param {string} name */
function header(raw, name) {
  for (let index = 0; index < raw.length; index += 2) if (raw[index].toLowerCase() === name) return raw[index + 1];
  return undefined;
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How many requests a side's next run may make, each with a proof of its own: its fastest run so far (before the first,
 * `guess` requests/s) for as long as a run lasts, with headroom. A run that makes them all stops there (maxRequests),
 * its rate still right; the next one gets more.
 * @param {string} label @param {number} guess
 */
function requestBudget(label, guess) {
  let fastest = 0;
  let granted = Infinity;
  return {
    grant() {
      granted = Math.ceil((fastest || guess) * Math.max(plan.seconds, plan.warmup) * PROOF_HEADROOM);
      return granted;
    },
    /** @param {Sample} sample */
    observe(sample) {
      if (sample.count >= granted) console.error(`bench: ${label} used all ${granted} of its proofs and stopped early`);
      fastest = Math.max(fastest, sample.rps);
    },
  };
}

/**
 * GET /api/me with a token signed in for just before each run: past half its lifetime /api/me also renews it (a store
 * write and a signature), and a run that saw a renewal fails, since it would measure renewal. With `dpop`, the token is
 * bound to a key and each request carries a proof of its own, from a pool made for the run (`withToken` hands the
 * baseline the same headers); without, it is a Bearer token (a server with DPOP_MODE=off).
 * @param {string} label @param {{ url: string, pid: number }} app @param {boolean} dpop
 * @param {(headers: Record<string, string>) => void} [withToken]
 */
async function meSide(label, { url, pid }, dpop, withToken) {
  const key = await newKey();
  const endpoint = `${url}/api/me`;
  const budget = requestBudget(label, 2000);
  let proofs = new ProofPool(key, 'GET', endpoint);
  let renewals = 0;
  /** @type {Side} */
  const side = {
    label,
    url,
    pid,
    path: '/api/me',
    async before() {
      const { accessToken } = await signIn(url, 'login', USERS[0], key);
      side.headers = { authorization: `${dpop ? 'DPoP' : 'Bearer'} ${accessToken}` };
      if (!dpop) return;
      withToken?.({ ...side.headers, dpop: await proof(key, 'GET', endpoint, accessToken) });
      proofs = new ProofPool(key, 'GET', endpoint, accessToken);
      side.maxRequests = budget.grant();
      await proofs.fill(side.maxRequests);
    },
    perRequest: dpop ? () => ({ headers: { dpop: proofs.take() } }) : undefined,
    setupClient(client) {
      client.on('headers', (/** @type {{ headers: string[] }} */ response) => {
        if (header(response.headers, 'x-renewed-access-token')) renewals++;
      });
    },
    async after(sample) {
      if (renewals > 0)
        throw new Error(`bench: ${label} renewed the token ${renewals} times; the row would measure renewal`);
      if (dpop) budget.observe(sample);
    },
  };
  return side;
}

/**
 * GET /api/me with DPoP (and with a Bearer token on `bearerApp`, the same build with DPOP_MODE=off) and POST
 * /api/auth/refresh against GET /api/health, alternated. Every refresh must be a real rotation: each connection carries
 * its own session's latest cookie forward, with a proof by the key the session is bound to (one for all of them), and
 * after each run the store's generation counters must have advanced once per 200 (a grace-window replay answers 200
 * without advancing them).
 * @param {{ url: string, pid: number, databasePath: string }} app @param {{ url: string, pid: number }} bearerApp
 */
async function benchApi({ url, pid, databasePath }, bearerApp) {
  const store = new Database(databasePath, { readonly: true, fileMustExist: true });
  const sumGenerations = store.prepare('select coalesce(sum(generation), 0) as total from sessions');
  const generations = () => /** @type {{ total: number }} */ (sumGenerations.get()).total;

  /** @type {Side} */
  const health = { label: 'GET /api/health', url, pid, path: '/api/health' };
  // The baseline gets the same headers as /api/me, a proof included (which it never reads).
  const me = await meSide('GET /api/me (DPoP)', { url, pid }, true, (headers) => (health.headers = headers));
  const bearer = await meSide('GET /api/me (Bearer)', bearerApp, false);

  const key = await newKey();
  const proofs = new ProofPool(key, 'POST', `${url}/api/auth/refresh`);
  /** Cookies of signed-in sessions no connection has used yet. */
  const unused = [];
  /** Every cookie the refresh endpoint set (each a valid seal the page benchmark can use once). */
  const minted = [];
  const rotations = { checked: 0, cutOff: 0 };
  const budget = requestBudget('POST /api/auth/refresh', 500);
  let before = 0;
  /** @type {Side} */
  const refresh = {
    label: 'POST /api/auth/refresh',
    url,
    pid,
    path: '/api/auth/refresh',
    method: 'POST',
    async before() {
      refresh.maxRequests = budget.grant();
      const needed = Math.ceil(refresh.maxRequests / ROTATIONS_PER_SESSION) + CONNECTIONS;
      while (unused.length < needed) {
        const sessions = await Promise.all(USERS.slice(0, 4).map((username) => signIn(url, 'login', username, key)));
        unused.push(...sessions.map((session) => session.cookie));
      }
      // Each connection also takes one after its last response, for a request it never sends.
      await proofs.fill(refresh.maxRequests + CONNECTIONS);
      await sleep(100);
      before = generations();
    },
    setupClient(client) {
      let cookie = unused.pop();
      let left = ROTATIONS_PER_SESSION;
      client.setHeaders({ cookie, dpop: proofs.take() });
      client.on('headers', (/** @type {{ statusCode: number, headers: string[] }} */ response) => {
        if (response.statusCode !== 200) return;
        const next = header(response.headers, 'set-cookie')?.split(';')[0];
        if (!next) return;
        minted.push(next);
        left -= 1;
        if (left === 0 && unused.length > 0) {
          cookie = unused.pop();
          left = ROTATIONS_PER_SESSION;
        } else {
          cookie = next;
        }
        client.setHeaders({ cookie, dpop: proofs.take() });
      });
    },
    async after(sample) {
      await sleep(200); // requests cut off when the run ended may still be rotating
      const advanced = generations() - before;
      if (advanced < sample.count || advanced > sample.count + CONNECTIONS) {
        throw new Error(`bench: ${sample.count} refreshes answered 200 but the store rotated ${advanced} times`);
      }
      rotations.checked += sample.count;
      rotations.cutOff += advanced - sample.count;
      budget.observe(sample);
    },
  };

  const sides = [health, me, bearer, refresh];
  const runs = await alternate(sides, plan);
  store.close();
  return { health: runs[0], me: runs[1], bearer: runs[2], refresh: runs[3], rotations, minted };
}

/**
 * /dashboard through the guard, against its twin that the middleware lets through, and against /dashboard in a build
 * with no middleware. The guarded page runs twice: with one cookie (verified once, then found in the middleware's
 * cache) and with a never-seen cookie on every request (a full unseal and verify each time).
 * @param {{ url: string, pid: number }} app @param {{ url: string, pid: number } | null} withoutMiddleware
 * @param {string[]} minted
 */
async function benchPages(app, withoutMiddleware, minted) {
  const { cookie } = await signIn(app.url, 'login', USERS[1], await newKey());
  const headers = { cookie };
  /** @type {Side} */
  const twin = { label: 'GET /dashboard-twin', url: app.url, pid: app.pid, path: '/dashboard-twin', headers };
  /** @type {Side} */
  const guarded = { label: 'GET /dashboard (same cookie)', url: app.url, pid: app.pid, path: '/dashboard', headers };
  let next = 0;
  let runsLeft = plan.rounds + 1;
  /** @type {Side} */
  const fresh = {
    label: 'GET /dashboard (new cookie each request)',
    url: app.url,
    pid: app.pid,
    path: '/dashboard',
    perRequest: () => ({ headers: { cookie: minted[next++] } }),
    async before() {
      // Each cookie once: a run is as many requests as its share of the cookies the refresh benchmark minted.
      fresh.amount = Math.floor((minted.length - next) / runsLeft--);
    },
  };
  const enoughCookies = minted.length >= (plan.rounds + 1) * 20 * CONNECTIONS;
  /** @type {Side | null} */
  const none = withoutMiddleware && {
    label: 'GET /dashboard (no middleware)',
    url: withoutMiddleware.url,
    pid: withoutMiddleware.pid,
    path: '/dashboard',
    headers,
  };
  const sides = [twin, guarded, ...(enoughCookies ? [fresh] : []), ...(none ? [none] : [])];
  const runs = await alternate(sides, plan);
  const of = (/** @type {Side} */ side) => runs[sides.indexOf(side)] ?? null;
  return { twin: of(twin), guarded: of(guarded), fresh: of(fresh), none: of(none), cookiesUsed: next };
}

/**
 * Logins with argon2id at 4 connections, alone (throughput, CPU); then again under a light probe of GET /api/health
 * (50 requests/s, one connection), whose latency against the same probe on an idle server shows whether the event loop
 * stays free while passwords are hashed.
 * @param {{ url: string, pid: number }} app
 */
async function benchLogin({ url, pid }) {
  // One key for every login: the server imports it once, a cost that would be noise next to argon2id's ~13 ms anyway.
  const proofs = new ProofPool(await newKey(), 'POST', `${url}/api/auth/login`);
  const budget = requestBudget('POST /api/auth/login', 200);
  let next = 0;
  /** @type {Side} */
  const login = {
    label: 'POST /api/auth/login',
    url,
    pid,
    path: '/api/auth/login',
    method: 'POST',
    connections: 4,
    headers: { 'content-type': 'application/json' },
    perRequest: () => ({
      body: JSON.stringify({ username: USERS[next++ % USERS.length], password: PASSWORD }),
      headers: { dpop: proofs.take() },
    }),
    async after(sample) {
      budget.observe(sample);
    },
  };
  // Proofs are made before a login run starts, so that the probe running alongside never measures the benchmark's CPU.
  const fill = () => proofs.fill((login.maxRequests = budget.grant()));
  /** @type {Side} */
  const probe = { label: 'GET /api/health (probe)', url, path: '/api/health', connections: 1, overallRate: 50 };
  await fill();
  await run(login, plan.warmup);
  /** @type {Sample[]} */
  const logins = [];
  /** @type {number[]} */
  const idle = [];
  /** @type {number[]} */
  const busy = [];
  const phases = [
    async () => idle.push(...(await run(probe, plan.seconds)).latencies),
    async () => {
      await fill();
      logins.push(await run(login, plan.seconds));
    },
    async () => {
      await fill();
      busy.push(...(await Promise.all([run(probe, plan.seconds), run(login, plan.seconds)]))[0].latencies);
    },
  ];
  for (let round = 0; round < plan.rounds; round++) {
    for (const phase of round % 2 === 0 ? phases : [...phases].reverse()) await phase();
  }
  return { logins, idle: percentiles(idle), busy: percentiles(busy) };
}

/**
 * Passkey sign-ins at 4 connections: the finishing POST only (assertion + DPoP proof → a bound session), each with a
 * challenge fetched and an assertion signed before the run, so the benchmark's own work is not measured. No argon2 on
 * this path: an ES256 verify, a challenge spent in the store, the counter and the new session written. Four users get
 * a passkey seeded into the store.
 * @param {{ url: string, pid: number, databasePath: string }} app
 */
async function benchPasskeySignIn({ url, pid, databasePath }) {
  const store = new Database(databasePath, { fileMustExist: true });
  const passkeys = USERS.slice(0, 4).map((username) => {
    const passkey = newPasskey();
    const { id } = /** @type {{ id: string }} */ (
      store.prepare('select id from users where username = ?').get(username)
    );
    store
      .prepare(
        `insert into passkeys (id, user_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at)
         values (?, ?, ?, 0, null, 'multiDevice', 1, 'bench', ?, null)`,
      )
      .run(passkey.id, id, passkey.publicKey, Date.now());
    return { passkey, userId: id };
  });
  store.close();
  const key = await newKey();
  const endpoint = `${url}/api/auth/passkey/sign-in`;
  const budget = requestBudget('POST /api/auth/passkey/sign-in', 300);
  /** @type {{ body: string, headers: { dpop: string } }[]} */
  let pool = [];
  /** @param {number} index */
  const prepare = async (index) => {
    const response = await fetch(`${url}/api/auth/passkey/sign-in/options`, { method: 'POST' });
    const { options } = /** @type {{ options: { challenge: string } }} */ (await response.json());
    const { passkey, userId } = passkeys[index % passkeys.length];
    const credential = assertion(passkey, options.challenge, url, userId);
    return { body: JSON.stringify({ credential }), headers: { dpop: await proof(key, 'POST', endpoint) } };
  };
  /** @type {Side} */
  const side = {
    label: 'POST /api/auth/passkey/sign-in',
    url,
    pid,
    path: '/api/auth/passkey/sign-in',
    method: 'POST',
    connections: 4,
    headers: { 'content-type': 'application/json' },
    perRequest: () => /** @type {{ body: string, headers: { dpop: string } }} */ (pool.pop()),
    async after(sample) {
      budget.observe(sample);
    },
  };
  const fill = async () => {
    const count = (side.maxRequests = budget.grant());
    pool = [];
    for (let start = 0; start < count; start += 50) {
      pool.push(
        ...(await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, i) => prepare(start + i)))),
      );
    }
  };
  await fill();
  await run(side, plan.warmup);
  /** @type {Sample[]} */
  const signIns = [];
  for (let round = 0; round < plan.rounds; round++) {
    await fill();
    signIns.push(await run(side, plan.seconds));
  }
  return signIns;
}

/**
 * argon2id alone, in this process, 4 at a time (as many as libuv's pool runs), with lib/auth/passwords.ts's parameters:
 * the most logins per second this machine could do, for reading the login row on any hardware.
 * @param {number} seconds @returns {Promise<number>} verifications per second
 */
async function argon2Ceiling(seconds) {
  const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  const stored = await hash(PASSWORD, options);
  const start = performance.now();
  const end = start + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < end) {
        await verify(stored, PASSWORD);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/**
 * First-load JS of /login and /dashboard against the bare home page, and the auth client's size: the part every page
 * loads (instrumentation-client.ts starts the page load's refresh before hydration, so the refresh path ships with
 * Next's own scripts) plus the code both pages add.
 * @param {string} url @param {string} cookie
 */
async function measureJs(url, cookie) {
  const bare = await firstLoadJs(url, '/');
  const login = await firstLoadJs(url, '/login');
  const dashboard = await firstLoadJs(url, '/dashboard', { cookie });
  const everyPage = instrumentationJs(bare);
  const bothPages = Math.max(sharedJs(login, dashboard, bare), sharedJs(dashboard, login, bare));
  return {
    bare,
    pages: [login, dashboard].map((page) => ({ page, ...addedJs(page, bare) })),
    everyPage,
    bothPages,
    authClient: everyPage + bothPages,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

const kB = (/** @type {number} */ bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} kB` : 'unknown');
const fixed = (/** @type {number} */ value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const verdict = (/** @type {boolean} */ met) => (met ? 'met' : 'MISSED');

/** @param {(string | number)[][]} rows */
function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? '').length)));
  return rows
    .map((row) =>
      row.map((cell, column) => String(cell)[column === 0 ? 'padEnd' : 'padStart'](widths[column])).join('  '),
    )
    .join('\n');
}

/**
 * One table row: medians over rounds, and against a baseline the throughput ratio and the extra server CPU.
 * @param {string} label @param {Sample[]} samples @param {Sample[] | null} baseline @param {string} [goal]
 */
function row(label, samples, baseline, goal = '') {
  const summary = summarize(samples);
  const extraCpu = baseline ? summary.cpu - summarize(baseline).cpu : NaN;
  return [
    label,
    Math.round(summary.rps),
    fixed(summary.p50, 2),
    fixed(summary.p99, 2),
    Math.round(summary.bytes),
    fixed(summary.cpu, 0),
    fixed(summary.mainThread, 0),
    baseline ? fixed(ratio(samples, baseline), 2) : '',
    baseline ? `${extraCpu >= 0 ? '+' : ''}${fixed(extraCpu, 0)}` : '',
    goal,
  ];
}

/** @param {Awaited<ReturnType<typeof measureJs>>} js */
function jsTable(js) {
  return table([
    ['first-load JS (gzip)', 'files', 'total', 'added', 'goal'],
    ['/ (bare page)', js.bare.files.length, kB(js.bare.gzip), '', ''],
    ...js.pages.map(({ page, added }) => [page.path, page.files.length, kB(page.gzip), `+${kB(added)}`, '']),
    ['auth client, in every page: the early refresh and its imports', '', '', `${js.everyPage} B`, ''],
    ['auth client, the code /login and /dashboard both add', '', '', `${js.bothPages} B`, ''],
    [
      'auth client in all',
      '',
      '',
      `${kB(js.authClient)} (${js.authClient} B)`,
      `≤ ${kB(GOALS.authClientBytes)}: ${verdict(js.authClient <= GOALS.authClientBytes)} (fails over ${kB(AUTH_CLIENT_CEILING)})`,
    ],
  ]);
}

/**
 * The time-to-content section on the app (and on a baseline build, when given), checking that every load refreshed
 * once: the baseline's label is its git revision.
 * @param {string} url the app @param {{ ref: string, url: string } | null} baseline @param {string} [path]
 */
async function measureTimeToContent(url, baseline, path = '/dashboard') {
  // The pages are loaded by the name localhost, a secure context for the __Host- cookie (127.0.0.1 also is, by IP).
  const byName = (/** @type {string} */ address) => address.replace('127.0.0.1', 'localhost');
  const targets = [
    ...(baseline ? [{ label: baseline.ref, url: byName(baseline.url) }] : []),
    { label: 'this build', url: byName(url) },
  ];
  const summaries = await timeToContent(targets, { loads: LOADS, path });
  for (const summary of summaries) {
    if (summary.maxRefreshes !== 1)
      throw new Error(`bench: a load of ${path} (${summary.label}) made ${summary.maxRefreshes} refresh requests`);
  }
  return { path, summaries };
}

/** @param {Awaited<ReturnType<typeof measureTimeToContent>>} ttc */
function timeToContentTable({ path, summaries }) {
  const ms = (/** @type {number} */ value) => fixed(value, 0);
  return table([
    [
      `time to content, ${path} (median ms)`,
      'first byte',
      'DCL',
      'refresh start',
      'refresh end',
      'content',
      'DCL→refresh',
      'content−(DCL+RTT)',
      '/api/me',
      'restoring',
      'goal',
    ],
    ...summaries.map((s) => [
      `${s.label}, ${s.rate === 1 ? 'unthrottled' : `CPU ${s.rate}× slower`}, ${s.loads} loads`,
      ms(s.firstByte),
      ms(s.domContentLoaded),
      ms(s.refreshStart),
      ms(s.refreshEnd),
      ms(s.content),
      ms(s.gap),
      ms(s.overRoundTrip),
      s.meCalls,
      s.restoring,
      s.rate === 1
        ? `≤ ${GOALS.contentOverRoundTripMs}: ${verdict(s.overRoundTrip <= GOALS.contentOverRoundTripMs)}`
        : '',
    ]),
  ]);
}

function machine() {
  const next = JSON.parse(
    readFileSync(fileURLToPath(new URL('../node_modules/next/package.json', import.meta.url)), 'utf8'),
  ).version;
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}) · Node ${process.version} · Next ${next}`;
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const buildId = options['no-build'] ? readFileSync(join(root, '.next', 'BUILD_ID'), 'utf8') : ensureBuild(root);

  if (options['content-only']) {
    const ref = options['content-baseline'];
    const baselineDir = ref ? ensureBuildOfRef(root, ref) : null;
    const app = await launch(root, PORT);
    const baseline = baselineDir && ref ? { ref, url: (await launch(baselineDir, PORT + 3)).url } : null;
    const loadAtStart = loadavg()[0];
    const ttc = await measureTimeToContent(app.url, baseline);
    console.log(`${machine()} · load average ${loadAtStart.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end\n`);
    console.log(timeToContentTable(ttc));
    return 0;
  }

  if (options['size-only']) {
    const app = await launch(root, PORT);
    const { cookie } = await signIn(app.url, 'register', USERS[0], await newKey());
    const js = await measureJs(app.url, cookie);
    console.log(jsTable(js));
    return js.authClient <= AUTH_CLIENT_CEILING ? 0 : 1;
  }

  // The middleware-less build costs a second `next build`; quick mode (a smoke test) skips that comparison.
  const withoutMiddlewareDir = options.quick ? null : ensureBuildWithoutMiddleware(root, buildId);
  const loadAtStart = loadavg()[0];
  const started = new Date();
  const app = await launch(root, PORT);
  const withoutMiddleware = withoutMiddlewareDir ? await launch(withoutMiddlewareDir, PORT + 1) : null;
  // The same build with Bearer tokens, for what DPoP costs on /api/me: a server start, no build.
  const bearer = await launch(root, PORT + 2, { DPOP_MODE: 'off' });
  const key = await newKey();
  for (const username of USERS) await signIn(app.url, 'register', username, key);
  await signIn(bearer.url, 'register', USERS[0], key);

  console.error('bench: API…');
  const api = await benchApi(app, bearer);
  console.error('bench: pages…');
  const pages = await benchPages(app, withoutMiddleware, api.minted);
  console.error('bench: login…');
  const login = { ...(await benchLogin(app)), ceiling: await argon2Ceiling(2), passkey: await benchPasskeySignIn(app) };
  const js = await measureJs(app.url, (await signIn(app.url, 'login', USERS[2], key)).cookie);
  console.error('bench: time to content…');
  const ttc = await measureTimeToContent(app.url, null);

  console.log(report({ api, pages, login, loadAtStart, started }));
  console.log(`\n${jsTable(js)}`);
  console.log(`\n${timeToContentTable(ttc)}`);
  console.log(revocationCosts(root));
  return 0;
}

/**
 * The revocation set's own costs, on the real module and query (scripts/bench/revocations.ts, run with tsx as
 * `npm run migrate` is): the poll per instance, the memory per 10,000 revoked sessions, the check per request.
 * @param {string} root
 */
function revocationCosts(root) {
  const script = join(root, 'scripts', 'bench', 'revocations.ts');
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, ['--expose-gc', '--conditions=react-server', script], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bench: the revocation costs failed: ${result.stderr || result.stdout}`);
  return result.stdout.trimEnd();
}

/**
 * @param {{ api: Awaited<ReturnType<typeof benchApi>>, pages: Awaited<ReturnType<typeof benchPages>>,
 *   login: Awaited<ReturnType<typeof benchLogin>> & { ceiling: number, passkey: Sample[] }, loadAtStart: number, started: Date }} results
 */
function report({ api, pages, login, loadAtStart, started }) {
  const alg = process.env.JWT_ALG || 'ES256';
  const pageRatio = ratio(pages.guarded, pages.twin);
  const meRatio = ratio(api.me, api.health);
  const refreshRatio = ratio(api.refresh, api.health);
  const loginsPerSecond = summarize(login.logins).rps;
  const rows = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'bytes', 'CPU µs', 'main µs', 'ratio', '+CPU µs', 'goal'],
    [`Pages, ${CONNECTIONS} connections`],
    row('/dashboard-twin (middleware lets it through)', pages.twin, null, 'baseline'),
    row(
      '/dashboard guarded, same cookie',
      pages.guarded,
      pages.twin,
      `≥ ${GOALS.page} ${verdict(pageRatio >= GOALS.page)}`,
    ),
    ...(pages.fresh
      ? [
          row(
            '/dashboard guarded, new cookie each request',
            pages.fresh,
            pages.twin,
            `≥ ${GOALS.freshPage} ${verdict(ratio(pages.fresh, pages.twin) >= GOALS.freshPage)}`,
          ),
        ]
      : []),
    ...(pages.none
      ? [
          row('/dashboard, build without middleware', pages.none, null),
          row('  guarded vs no middleware', pages.guarded, pages.none, 'report'),
          row('  twin vs no middleware (the floor)', pages.twin, pages.none),
        ]
      : []),
    [`API, ${CONNECTIONS} connections`],
    row('GET /api/health (unguarded, one query)', api.health, null, 'baseline'),
    row(
      `GET /api/me (DPoP: ${alg} token, ES256 proof, user lookup)`,
      api.me,
      api.health,
      `≥ ${GOALS.me} ${verdict(meRatio >= GOALS.me)}`,
    ),
    row(`GET /api/me (Bearer ${alg}, DPOP_MODE=off server)`, api.bearer, api.health),
    row('  DPoP vs Bearer', api.me, api.bearer, 'report'),
    row(
      'POST /api/auth/refresh (rotation, DPoP proof)',
      api.refresh,
      api.health,
      `≥ ${GOALS.refresh} ${verdict(refreshRatio >= GOALS.refresh)}`,
    ),
    ['Login'],
    row(
      'POST /api/auth/login (argon2id, DPoP proof, 4 conn.)',
      login.logins,
      null,
      `≥ ${GOALS.loginsPerSecond}/s ${verdict(loginsPerSecond >= GOALS.loginsPerSecond)}`,
    ),
    ['  argon2id alone, 4 at a time (the ceiling)', Math.round(login.ceiling)],
    row(
      'POST /api/auth/passkey/sign-in (ES256 assertion, DPoP proof, 4 conn.)',
      login.passkey,
      null,
      `${fixed(summarize(login.passkey).rps / loginsPerSecond, 1)}× logins`,
    ),
    ['GET /api/health probe 50/s, idle', '', fixed(login.idle.p50, 2), fixed(login.idle.p99, 2)],
    ['GET /api/health probe 50/s, during logins', '', fixed(login.busy.p50, 2), fixed(login.busy.p99, 2)],
  ];
  return [
    `\nJWT session benchmark · ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${machine()}`,
    `SQLite store · ${alg} access tokens · load average ${loadAtStart.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`,
    `${plan.rounds} rounds × ${plan.seconds} s per side, sides alternated; medians over rounds; ratio = median of per-round ratios` +
      (options.quick ? ' · QUICK MODE: no middleware-less build, numbers only a smoke test' : ''),
    'CPU µs: server CPU time per response, all threads; main µs: of which on its event loop; +CPU µs: over the baseline\n',
    table(rows),
    '\nEvery DPoP request carried a proof of its own (a jti never sent before), made just before its run (the server accepts an iat up to 60 s old).',
    `Refresh: ${api.rotations.checked} responses, each a real rotation (the store's generation counters advanced once per 200; ` +
      `${api.rotations.cutOff} more by requests cut off at the end of runs).` +
      (pages.fresh ? ` The "new cookie" row used ${pages.cookiesUsed} distinct refresh cookies, once each.` : ''),
  ].join('\n');
}
main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error) => {
    await cleanUp();
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
