// @ts-check
const { PHASE_DEVELOPMENT_SERVER } = require('next/constants');
const { ensureDevSecrets } = require('./scripts/dev-secrets');

/** The Content-Security-Policy every page satisfies (development adds what hot reloading needs). */
function contentSecurityPolicy(dev) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** @type {(phase: string) => import('next').NextConfig} */
module.exports = (phase) => {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  if (dev) ensureDevSecrets(__dirname);
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    serverExternalPackages: ['better-sqlite3', 'pg', '@node-rs/argon2'],
    // No images are optimised here; without this, /_next/image fetches arbitrary local URLs (and 500s on redirects).
    images: { unoptimized: true },
    async headers() {
      return [
        // Every API answer carries tokens or session state, including the framework's own 405s and OPTIONS replies.
        { source: '/api/:path*', headers: [{ key: 'Cache-Control', value: 'no-store' }] },
        {
          source: '/:path*',
          headers: [
            { key: 'Content-Security-Policy', value: contentSecurityPolicy(dev) },
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
