// Load generation for the benchmark: one autocannon run per call, sides alternated round by round, medians.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const MICROSECONDS_PER_TICK = 1e6 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100);

/**
 * CPU time a process has used so far, in µs: all its threads, and its main thread (the event loop). Null where there is
 * no /proc (then the CPU columns stay empty). Unlike throughput, this barely moves when other processes share the cores.
 * @param {number} pid
 */
export function cpuTime(pid) {
  const ticks = (/** @type {string} */ path) => {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MICROSECONDS_PER_TICK; // utime + stime
  };
  try {
    return { total: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return null;
  }
}

/** @typedef {import('node:events').EventEmitter & { setHeaders(headers: Record<string, string>): void }} Client */

/**
 * One side of a comparison. Fields are read at each run, so `before` may change them (a fresh token, an amount).
 * @typedef {object} Side
 * @property {string} label
 * @property {string} url server base URL
 * @property {string} path
 * @property {number} [pid] the server's process, whose CPU time is charged to the requests
 * @property {string} [method] default GET
 * @property {Record<string, string>} [headers]
 * @property {number} [connections] default 10
 * @property {number} [overallRate] requests per second across connections (open loop), for latency probes
 * @property {number} [amount] stop after this many requests instead of after the round's seconds
 * @property {number} [maxRequests] stop after this many requests if the round's seconds are not over by then (each
 *   connection after its share): a side that sends each request something it has only so much of
 * @property {() => Record<string, unknown>} [perRequest] fields merged into every request (headers, body), shared by
 *   all connections
 * @property {(client: Client) => void} [setupClient] called for each connection's client, to follow its responses
 * @property {() => Promise<void>} [before] runs before each run of this side
 * @property {(sample: Sample) => Promise<void>} [after] runs after each run; throws when the run measured the wrong thing
 */

/**
 * @typedef {object} Sample
 * @property {number} rps completed responses per second, from the start to the last response
 * @property {number} p50 ms
 * @property {number} p99 ms
 * @property {number} bytes mean response size on the wire (headers included)
 * @property {number} cpu server CPU µs per response, all threads (NaN when unknown)
 * @property {number} mainThread of which on the server's main thread
 * @property {number} count
 * @property {number[]} latencies ms, in completion order
 */

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number[]} latencies */
export function percentiles(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

/**
 * Loads one side for `seconds` (or its `amount`). Latencies are kept exactly (autocannon's histogram rounds to whole
 * milliseconds). Throws on any non-2xx answer, connection error or timeout: a benchmark of failures measures nothing.
 * @param {Side} side @param {number} seconds @returns {Promise<Sample>}
 */
export async function run(side, seconds) {
  await side.before?.();
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<string, number>} */
  const failures = {};
  let bytes = 0;
  const perRequest = side.perRequest;
  const cpuBefore = side.pid ? cpuTime(side.pid) : null;
  // autocannon's own duration ends at its next once-a-second tick, also when the last request finished long before.
  const started = performance.now();
  let finished = started;
  const result = await autocannon({
    url: side.url + side.path,
    method: /** @type {any} */ (side.method ?? 'GET'),
    headers: side.headers,
    connections: side.connections ?? 10,
    overallRate: side.overallRate,
    ...(side.amount ? { amount: side.amount } : { duration: seconds, maxOverallRequests: side.maxRequests }),
    requests: perRequest && [
      {
        setupRequest(/** @type {Record<string, any>} */ request) {
          const extra = perRequest();
          return { ...request, ...extra, headers: { ...request.headers, .../** @type {object} */ (extra.headers) } };
        },
      },
    ],
    setupClient(client) {
      client.on('response', (/** @type {number} */ status, /** @type {number} */ size, /** @type {number} */ ms) => {
        if (status < 200 || status > 299) failures[status] = (failures[status] ?? 0) + 1;
        latencies.push(ms);
        bytes += size;
        finished = performance.now();
      });
      side.setupClient?.(client);
    },
  });
  const failed = Object.entries(failures).map(([status, count]) => `${count} × ${status}`);
  if (result.errors || result.timeouts) failed.push(`${result.errors} errors, ${result.timeouts} timeouts`);
  if (failed.length > 0) throw new Error(`bench: ${side.label} failed: ${failed.join(', ')}`);
  const cpuAfter = side.pid ? cpuTime(side.pid) : null;
  const sample = {
    rps: latencies.length / ((finished - started) / 1000),
    ...percentiles(latencies),
    bytes: bytes / latencies.length,
    cpu: cpuBefore && cpuAfter ? (cpuAfter.total - cpuBefore.total) / latencies.length : NaN,
    mainThread: cpuBefore && cpuAfter ? (cpuAfter.main - cpuBefore.main) / latencies.length : NaN,
    count: latencies.length,
    latencies,
  };
  await side.after?.(sample);
  return sample;
}

/**
 * Runs every side once to warm up (not recorded), then `rounds` rounds of all sides, the order reversed every other
 * round so that no side always runs first or last. Returns each side's samples, round by round.
 * @param {Side[]} sides @param {{ rounds: number, seconds: number, warmup: number }} plan @returns {Promise<Sample[][]>}
 */
export async function alternate(sides, { rounds, seconds, warmup }) {
  for (const side of sides) await run(side, warmup);
  /** @type {Sample[][]} */
  const samples = sides.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = sides.map((_, index) => (round % 2 === 0 ? index : sides.length - 1 - index));
    for (const index of order) samples[index].push(await run(sides[index], seconds));
  }
  return samples;
}

/**
 * Medians over rounds.
 * @param {Sample[]} samples
 */
export function summarize(samples) {
  return {
    rps: median(samples.map((sample) => sample.rps)),
    p50: median(samples.map((sample) => sample.p50)),
    p99: median(samples.map((sample) => sample.p99)),
    bytes: median(samples.map((sample) => sample.bytes)),
    cpu: median(samples.map((sample) => sample.cpu)),
    mainThread: median(samples.map((sample) => sample.mainThread)),
    count: samples.reduce((total, sample) => total + sample.count, 0),
  };
}

/**
 * Throughput of `side` relative to `baseline`: the median of the per-round ratios, so that drift in the machine's load
 * (shared cores) cancels within each round.
 * @param {Sample[]} side @param {Sample[]} baseline
 */
export const ratio = (side, baseline) => median(side.map((sample, round) => sample.rps / baseline[round].rps));
