// Prints a JWT_PRIVATE_KEYS value with one new ES256 key, twice: as a shell assignment (for .env.local or a terminal)
// and raw (what goes into a hosting dashboard's value field, e.g. Vercel's, which takes no shell quoting).
// To rotate, put the new key FIRST and keep the old one after it until every access token it signed has expired (one
// ACCESS_TOKEN_TTL), then drop it.
const { generateSigningJwk } = require('./dev-secrets');

const value = JSON.stringify([generateSigningJwk()]);
process.stdout.write(`# For a shell or .env.local:\nJWT_PRIVATE_KEYS='${value}'\n`);
process.stdout.write(`# For Vercel's environment variable value field (name: JWT_PRIVATE_KEYS):\n${value}\n`);
