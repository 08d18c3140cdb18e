import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each test file runs in its own worker with a fresh configuration: its own secret, signing key and SQLite file.
// The postgres project (see vitest.config.mts) points the store at TEST_DATABASE_URL instead.
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = privateKey.export({ format: 'jwk' });
process.env.AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0123456789';
process.env.JWT_PRIVATE_KEYS ??= JSON.stringify([{ ...jwk, kid: 'test-key-1' }]);
process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), 'jwt-session-test-')), 'app.db');
if (process.env.TEST_STORE === 'postgres') process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
