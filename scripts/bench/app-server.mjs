// Production builds and servers for the benchmark: `next build` when the sources changed, a second build of the same
// app without its middleware (the "no middleware at all" baseline), and `next start` with its own secrets and data.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningJwk } from '../dev-secrets.js';

/** Top-level entries a build never reads (besides dotfiles). */
const NOT_SOURCES = new Set([
  'node_modules',
  'data',
  'docs',
  'e2e',
  'test',
  'test-results',
  'playwright-report',
  'blob-report',
]);
/** Not worth a rebuild when changed: these scripts, other tools' configs and outputs (tsc's, next's own), prose. */
const NOT_WATCHED =
  /^(scripts|README\.md|eslint\.config\.mjs|playwright\.config\.ts|vitest\.config\.mts|next-env\.d\.ts|.*\.tsbuildinfo)$/;
const MIDDLEWARE_FILES = new Set(['middleware.ts', 'middleware.js', 'proxy.ts', 'proxy.js']);

/** @param {string} path @returns {number} the newest mtime under path (test files excluded), 0 if absent */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.[jt]sx?$/.test(path) ? 0 : stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** @param {string} root */
const sourceEntries = (root) => readdirSync(root).filter((name) => !name.startsWith('.') && !NOT_SOURCES.has(name));

/** @param {string} dir */
function nextBuild(dir) {
  const started = Date.now();
  const build = spawnSync(join(dir, 'node_modules/.bin/next'), ['build'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    throw new Error(`bench: next build failed in ${dir}`);
  }
  console.error(`bench: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Runs `next build` unless .next/BUILD_ID is newer than every source file. Returns the build id.
 * @param {string} root
 */
export function ensureBuild(root) {
  const buildIdFile = join(root, '.next', 'BUILD_ID');
  const built = existsSync(buildIdFile) ? statSync(buildIdFile).mtimeMs : 0;
  const watched = sourceEntries(root).filter((name) => !NOT_WATCHED.test(name));
  if (Math.max(...watched.map((name) => newestMtime(join(root, name)))) > built) {
    console.error('bench: sources changed since the last build; running next build…');
    nextBuild(root);
  }
  return readFileSync(buildIdFile, 'utf8');
}

/**
 * Mirrors a directory with hard links (same file system, about a second for node_modules). A symlink would not do:
 * Turbopack refuses modules outside the workspace root.
 * @param {string} from @param {string} to
 */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else if (lstatSync(source).isFile()) linkSync(source, target);
  }
}

/**
 * Builds the sources copied into `dir`: node_modules hard-linked, and the config wrapped to root Turbopack there (it
 * would otherwise adopt the enclosing worktree and lockfile). Types are not checked again.
 * @param {string} root @param {string} dir
 */
function buildCopy(root, dir) {
  linkTree(join(root, 'node_modules'), join(dir, 'node_modules'));
  renameSync(join(dir, 'next.config.js'), join(dir, 'next.config.app.js'));
  writeFileSync(
    join(dir, 'next.config.js'),
    `// Written by scripts/bench: the app's own config, with Turbopack rooted here. Types were checked by the main build.
const app = require('./next.config.app.js');
module.exports = async (phase, context) => {
  const config = typeof app === 'function' ? await app(phase, context) : app;
  return { ...config, turbopack: { ...config.turbopack, root: __dirname }, typescript: { ignoreBuildErrors: true } };
};
`,
  );
  nextBuild(dir);
}

/**
 * The app as it was at git revision `ref`, built in .bench/ref-<commit> (git-ignored; built once per commit): the
 * baseline of a before-and-after comparison, with the same node_modules. Returns its directory.
 * @param {string} root @param {string} ref
 */
export function ensureBuildOfRef(root, ref) {
  const git = (/** @type {string[]} */ ...args) =>
    spawnSync('git', ['-C', root, ...args], { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 });
  const resolved = git('rev-parse', '--verify', `${ref}^{commit}`);
  if (resolved.status !== 0) throw new Error(`bench: ${ref} names no commit`);
  const commit = resolved.stdout.toString().trim();
  const dir = join(root, '.bench', `ref-${commit.slice(0, 12)}`);
  if (existsSync(join(dir, '.next', 'BUILD_ID'))) return dir;
  console.error(`bench: building ${ref} (${commit.slice(0, 12)}), the baseline…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = git('archive', '--format=tar', commit);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout, maxBuffer: 1024 * 1024 });
  if (archive.status !== 0 || untar.status !== 0) throw new Error(`bench: could not extract ${ref}`);
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  buildCopy(root, dir);
  return dir;
}

/**
 * The same app built without its middleware, in .bench/no-middleware (git-ignored): every source entry copied except
 * middleware.ts, then built as buildCopy does (Turbopack would otherwise adopt the enclosing worktree's middleware
 * too). Rebuilt whenever the main build changed.
 * @param {string} root @param {string} buildId the main build's id
 */
export function ensureBuildWithoutMiddleware(root, buildId) {
  const dir = join(root, '.bench', 'no-middleware');
  const marker = join(dir, '.built-from');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === buildId) return dir;
  console.error('bench: building the app without its middleware (the no-middleware baseline)…');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of sourceEntries(root)) {
    if (!MIDDLEWARE_FILES.has(name)) cpSync(join(root, name), join(dir, name), { recursive: true });
  }
  buildCopy(root, dir);
  const manifest = JSON.parse(readFileSync(join(dir, '.next/server/middleware-manifest.json'), 'utf8'));
  if (Object.keys(manifest.middleware).length > 0)
    throw new Error('bench: the no-middleware build still has a middleware');
  writeFileSync(marker, buildId);
  return dir;
}

/** Secrets and a fresh SQLite data directory, as e2e/servers.ts gives its servers. */
export function serverEnv() {
  const dataDir = mkdtempSync(join(tmpdir(), 'jwt-session-bench-'));
  return {
    dataDir,
    databasePath: join(dataDir, 'app.db'),
    env: {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      JWT_PRIVATE_KEYS: JSON.stringify([generateSigningJwk()]),
      DATABASE_PATH: join(dataDir, 'app.db'),
      // Always the embedded store, whatever the calling shell has set.
      DATABASE_URL: '',
    },
  };
}

/** @param {number} port @returns {Promise<boolean>} */
function isListening(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * @typedef {{ url: string, pid: number, stop: () => Promise<void> }} Server
 */

/**
 * Starts `next start` (the binary itself, so its PID is the server's) and waits until /api/health answers.
 * @param {{ dir: string, port: number, env: Record<string, string> }} options
 * @returns {Promise<Server>}
 */
export async function startServer({ dir, port, env }) {
  if (await isListening(port))
    throw new Error(`bench: port ${port} is in use (set BENCH_PORT to another in 3500-3599)`);
  const child = spawn(join(dir, 'node_modules/.bin/next'), ['start', '-p', String(port)], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => (output = (output + chunk).slice(-8192));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { url, pid: /** @type {number} */ (child.pid), stop };
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await stop();
  throw new Error(`bench: the server in ${dir} did not come up on port ${port}:\n${output}`);
}
