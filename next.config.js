// @ts-check
const { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } = require('next/constants');
const { ensureDevSecrets } = require('./scripts/dev-secrets');

/**
 * The policy of every API answer and static file (lib/http/csp.ts's API_POLICY, which a unit test holds this to). Pages
 * get theirs, with a nonce per response, from the middleware, whose header replaces this one.
 */
const FILE_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * On Vercel the project's environment variables are present at build time: check them with the app's own schema
 * (lib/config.ts) before anything compiles, so a misconfigured deployment fails its build naming each bad variable
 * instead of going live and answering 503 everywhere. lib/config.ts is TypeScript; tsx (a dev dependency, which
 * Vercel installs for the build) loads it here. Whether each key really is a P-256 key is still judged at start-up.
 */
function checkVercelConfig() {
  const { require: requireTs } = require('tsx/cjs/api');
  const { getConfig } = requireTs('./lib/config.ts', __filename);
  try {
    getConfig();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ConfigError') throw error;
    console.error(`${error.message}\nSet these in the Vercel project's environment variables (see README.md).`);
    process.exit(1);
  }
}

/** @type {(phase: string) => import('next').NextConfig} */
module.exports = (phase) => {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  const vercel = Boolean(process.env.VERCEL);
  if (dev) ensureDevSecrets(__dirname);
  if (vercel && phase === PHASE_PRODUCTION_BUILD) checkVercelConfig();
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    serverExternalPackages: ['better-sqlite3', 'pg', '@node-rs/argon2'],
    // A Vercel deployment stores sessions in Postgres (lib/config.ts refuses SQLite there), and lib/db loads
    // better-sqlite3 only when it opens a SQLite file: leave its native module out of every function.
    // (Turbopack also links each external package into .next/node_modules under a hashed name.)
    ...(vercel
      ? {
          outputFileTracingExcludes: { '*': ['node_modules/better-sqlite3/**', '.next/node_modules/better-sqlite3-*'] },
        }
      : {}),
    // No images are optimised here; without this, /_next/image fetches arbitrary local URLs (and 500s on redirects).
    images: { unoptimized: true },
    async headers() {
      return [
        // Every API answer carries tokens or session state, including the framework's own 405s and OPTIONS replies.
        { source: '/api/:path*', headers: [{ key: 'Cache-Control', value: 'no-store' }] },
        {
          source: '/:path*',
          headers: [
            { key: 'Content-Security-Policy', value: FILE_POLICY },
            { key: 'X-Content-Type-Options', value: 'nosniff' },
            { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
            { key: 'X-Frame-Options', value: 'DENY' },
            { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
            ...(dev ? [] : [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]),
          ],
        },
      ];
    },
  };
};
