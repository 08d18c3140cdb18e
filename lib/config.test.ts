import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

function newKey(kid: string) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid };
}

const key = newKey('k1');
const valid = { AUTH_SECRET: 'kW3n9Qx7Lr2Vb8Zt5Hy1Jc6Mf4Pd0Sg-', JWT_PRIVATE_KEYS: JSON.stringify([key]) };

const failure = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      VERCEL: false,
      ACCESS_TOKEN_TTL: 120,
      REFRESH_TOKEN_TTL: 7 * 86_400,
      SESSION_MAX_AGE: 30 * 86_400,
      REFRESH_GRACE_SECONDS: 30,
      JWT_ALG: 'ES256',
      DATABASE_PATH: 'data/app.db',
      DEMO_ACCOUNT: true,
      DEMO_CONTROLS: true,
      TRUST_PROXY: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    // An empty variable (`DATABASE_URL=` in an .env file) is unset.
    expect(parseConfig({ ...valid, DATABASE_URL: '', TRUST_PROXY: '' })).toMatchObject({
      DATABASE_PATH: 'data/app.db',
      TRUST_PROXY: false,
    });
    expect(parseConfig({ ...valid, DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names a missing or short AUTH_SECRET', () => {
    expect(failure({})).toMatch(/AUTH_SECRET is required/);
    expect(failure({ AUTH_SECRET: 'short' })).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(failure({ AUTH_SECRET: 'a'.repeat(40) })).toMatch(/AUTH_SECRET looks like a placeholder/);
    expect(failure({ AUTH_SECRET: 'changeme'.repeat(5) })).toMatch(/AUTH_SECRET looks like a placeholder/);
  });

  it('refuses lifetimes that make no sense, naming the variable', () => {
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: '600', REFRESH_TOKEN_TTL: '600' })).toMatch(
      /ACCESS_TOKEN_TTL must be shorter/,
    );
    expect(failure({ ...valid, REFRESH_TOKEN_TTL: '90000', SESSION_MAX_AGE: '80000' })).toMatch(
      /REFRESH_TOKEN_TTL must not exceed/,
    );
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: 'soon' })).toMatch(/ACCESS_TOKEN_TTL/);
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: '-5' })).toMatch(/ACCESS_TOKEN_TTL/);
  });

  it('requires signing keys in production with ES256, and a database URL on Vercel', () => {
    expect(failure({ AUTH_SECRET: valid.AUTH_SECRET, NODE_ENV: 'production' })).toMatch(/JWT_PRIVATE_KEYS is required/);
    expect(parseConfig({ AUTH_SECRET: valid.AUTH_SECRET, NODE_ENV: 'production', JWT_ALG: 'HS256' }).NODE_ENV).toBe(
      'production',
    );
    expect(failure({ ...valid, VERCEL: '1' })).toMatch(/DATABASE_URL is required on Vercel/);
    expect(failure({ ...valid, DATABASE_URL: 'mysql://x' })).toMatch(/DATABASE_URL must be a postgres/);
  });

  it('binds tokens with DPoP by default, takes off, and names every bad DPoP variable', () => {
    expect(parseConfig(valid)).toMatchObject({
      DPOP_MODE: 'required',
      DPOP_IAT_WINDOW: 60,
      DPOP_NONCE: false,
      DPOP_REPLAY: 'memory',
    });
    expect(parseConfig(valid).APP_ORIGIN).toBeUndefined();
    expect(
      parseConfig({ ...valid, DPOP_MODE: 'off', DPOP_NONCE: 'on', DPOP_REPLAY: 'store', DPOP_IAT_WINDOW: '30' }),
    ).toMatchObject({
      DPOP_MODE: 'off',
      DPOP_NONCE: true,
      DPOP_REPLAY: 'store',
      DPOP_IAT_WINDOW: 30,
    });
    expect(parseConfig({ ...valid, APP_ORIGIN: 'https://app.example.com/' }).APP_ORIGIN).toBe(
      'https://app.example.com',
    );
    expect(failure({ ...valid, DPOP_MODE: 'optional' })).toMatch(/DPOP_MODE must be required/);
    expect(failure({ ...valid, DPOP_REPLAY: 'redis' })).toMatch(/DPOP_REPLAY/);
    expect(failure({ ...valid, DPOP_NONCE: 'sometimes' })).toMatch(/DPOP_NONCE/);
    expect(failure({ ...valid, DPOP_IAT_WINDOW: '0' })).toMatch(/DPOP_IAT_WINDOW/);
    expect(failure({ ...valid, APP_ORIGIN: 'https://app.example.com/login' })).toMatch(
      /APP_ORIGIN must be an origin only/,
    );
    expect(failure({ ...valid, APP_ORIGIN: 'ftp://app.example.com' })).toMatch(/APP_ORIGIN/);
    expect(failure({ ...valid, VERCEL: '1', DATABASE_URL: 'postgres://h/db' })).toMatch(
      /APP_ORIGIN is required on Vercel/,
    );
    expect(
      parseConfig({ ...valid, VERCEL: '1', DATABASE_URL: 'postgres://h/db', DPOP_MODE: 'off' }).APP_ORIGIN,
    ).toBeUndefined();
  });

  it('reads new revocations every 500 ms by default, and names a poll interval out of range', () => {
    expect(parseConfig(valid).REVOCATION_POLL_MS).toBe(500);
    expect(parseConfig({ ...valid, REVOCATION_POLL_MS: '250' }).REVOCATION_POLL_MS).toBe(250);
    expect(failure({ ...valid, REVOCATION_POLL_MS: '10' })).toMatch(/REVOCATION_POLL_MS must be at least 50/);
    expect(failure({ ...valid, REVOCATION_POLL_MS: '5000' })).toMatch(/REVOCATION_POLL_MS must be at most 1000/);
    expect(failure({ ...valid, REVOCATION_POLL_MS: 'soon' })).toMatch(/REVOCATION_POLL_MS/);
  });

  it('offers DBSC by default, takes off, and names a bad value', () => {
    expect(parseConfig(valid)).toMatchObject({ DBSC: true, DBSC_COOKIE_TTL: 600 });
    expect(parseConfig({ ...valid, DBSC: 'off' }).DBSC).toBe(false);
    expect(failure({ ...valid, DBSC: 'maybe' })).toMatch(/DBSC/);
    expect(failure({ ...valid, DBSC_COOKIE_TTL: '2' })).toMatch(/DBSC_COOKIE_TTL/);
  });

  it('asks for a sign-in within 300 s before a sensitive change by default, and names an out-of-range STEP_UP_MAX_AGE', () => {
    expect(parseConfig(valid).STEP_UP_MAX_AGE).toBe(300);
    expect(parseConfig({ ...valid, STEP_UP_MAX_AGE: '900' }).STEP_UP_MAX_AGE).toBe(900);
    for (const bad of ['0', '-1', '100000', '1.5', 'soon']) {
      expect(failure({ ...valid, STEP_UP_MAX_AGE: bad })).toMatch(/STEP_UP_MAX_AGE/);
    }
  });

  it('turns the demo account and controls off in production unless asked for, and either off in dev when asked', () => {
    const production = { ...valid, NODE_ENV: 'production' };
    expect(parseConfig(production)).toMatchObject({ DEMO_ACCOUNT: false, DEMO_CONTROLS: false });
    expect(parseConfig({ ...production, DEMO_ACCOUNT: 'true', DEMO_CONTROLS: 'true' })).toMatchObject({
      DEMO_ACCOUNT: true,
      DEMO_CONTROLS: true,
    });
    expect(parseConfig({ ...valid, DEMO_ACCOUNT: 'false', DEMO_CONTROLS: 'off' })).toMatchObject({
      DEMO_ACCOUNT: false,
      DEMO_CONTROLS: false,
    });
  });

  it('trusts the proxy header Vercel sets, and names a bad flag', () => {
    expect(
      parseConfig({ ...valid, VERCEL: '1', DATABASE_URL: 'postgres://h/db', APP_ORIGIN: 'https://a.example' })
        .TRUST_PROXY,
    ).toBe('x-real-ip');
    expect(parseConfig({ ...valid, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe('x-forwarded-for');
    expect(parseConfig({ ...valid, TRUST_PROXY: 'x-real-ip' }).TRUST_PROXY).toBe('x-real-ip');
    expect(failure({ ...valid, TRUST_PROXY: 'yes please' })).toMatch(/TRUST_PROXY/);
    expect(failure({ ...valid, DEMO_CONTROLS: 'maybe' })).toMatch(/DEMO_CONTROLS/);
  });

  it('parses JWT_PRIVATE_KEYS into keys, and names the variable when its shape is wrong', () => {
    expect(parseConfig(valid).JWT_PRIVATE_KEYS).toEqual([key]);
    const cases = [
      ['not json', /JWT_PRIVATE_KEYS is not valid JSON/],
      ['[]', /JWT_PRIVATE_KEYS must be a JSON array of private EC P-256 JWKs/],
      ['{"kty":"EC"}', /JWT_PRIVATE_KEYS must be a JSON array/],
      ['[{"kty":"EC"}]', /JWT_PRIVATE_KEYS must be a JSON array .*0\.crv/],
      [JSON.stringify([{ ...key, d: undefined }]), /JWT_PRIVATE_KEYS must be a JSON array .*0\.d/],
      [JSON.stringify([{ ...key, kid: undefined }]), /JWT_PRIVATE_KEYS must be a JSON array .*0\.kid/],
      [JSON.stringify([{ ...key, kty: 'RSA' }]), /JWT_PRIVATE_KEYS must be a JSON array .*0\.kty/],
      [JSON.stringify([key, newKey('k1')]), /JWT_PRIVATE_KEYS must be a JSON array .*repeated kid/],
    ] as const;
    for (const [value, message] of cases)
      expect(failure({ ...valid, JWT_PRIVATE_KEYS: value }), value).toMatch(message);
    // Named together with the other bad variables, in one message.
    expect(failure({ JWT_PRIVATE_KEYS: '[]' })).toMatch(/AUTH_SECRET is required[\s\S]*JWT_PRIVATE_KEYS must be/);
  });
});
