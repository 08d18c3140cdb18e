// Development secrets: generated once and kept under data/ so restarts do not log anybody out.
// Used by next.config.js (development server only) and by `npm run keygen`. CommonJS: next.config.js loads it.
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** A new private EC P-256 JWK for ES256, with a kid made of its date and random bytes. */
function generateSigningJwk() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: 'ES256', use: 'sig' };
}

/**
 * Fills AUTH_SECRET and JWT_PRIVATE_KEYS from data/dev-secrets.json (creating it on first run) when they are not set.
 * Never used in production, where both must be configured.
 */
function ensureDevSecrets(root) {
  if (process.env.AUTH_SECRET && process.env.JWT_PRIVATE_KEYS) return;
  const file = join(root, 'data', 'dev-secrets.json');
  let secrets;
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    secrets = { authSecret: randomBytes(32).toString('base64url'), jwtPrivateKeys: [generateSigningJwk()] };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  process.env.AUTH_SECRET ||= secrets.authSecret;
  process.env.JWT_PRIVATE_KEYS ||= JSON.stringify(secrets.jwtPrivateKeys);
}

module.exports = { ensureDevSecrets, generateSigningJwk };
