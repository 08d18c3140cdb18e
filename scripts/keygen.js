// Prints a JWT_PRIVATE_KEYS value with one new ES256 key. To rotate, put the new key FIRST and keep the old one after
// it until every access token it signed has expired (one ACCESS_TOKEN_TTL), then drop it.
const { generateSigningJwk } = require('./dev-secrets');

process.stdout.write(`JWT_PRIVATE_KEYS='${JSON.stringify([generateSigningJwk()])}'\n`);
