import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const valid = { AUTH_SECRET: 'kW3n9Qx7Lr2Vb8Zt5Hy1Jc6Mf4Pd0Sg-', JWT_PRIVATE_KEYS: '[]' };

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
      production: false,
      accessTtl: 120,
      refreshTtl: 7 * 86_400,
      sessionMaxAge: 30 * 86_400,
      refreshGrace: 30,
      jwtAlg: 'ES256',
      databasePath: 'data/app.db',
      databaseUrl: undefined,
      demoAccount: true,
      demoControls: true,
      trustProxy: false,
    });
  });

  it('names a missing or short AUTH_SECRET', () => {
    expect(failure({})).toMatch(/AUTH_SECRET is required/);
    expect(failure({ AUTH_SECRET: 'short' })).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(failure({ AUTH_SECRET: 'a'.repeat(40) })).toMatch(/AUTH_SECRET looks like a placeholder/);
    expect(failure({ AUTH_SECRET: 'changeme'.repeat(5) })).toMatch(/AUTH_SECRET looks like a placeholder/);
  });

  it('refuses lifetimes that make no sense, naming the variable', () => {
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: '600', REFRESH_TOKEN_TTL: '600' })).toMatch(/ACCESS_TOKEN_TTL must be shorter/);
    expect(failure({ ...valid, REFRESH_TOKEN_TTL: '90000', SESSION_MAX_AGE: '80000' })).toMatch(/REFRESH_TOKEN_TTL must not exceed/);
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: 'soon' })).toMatch(/ACCESS_TOKEN_TTL/);
    expect(failure({ ...valid, ACCESS_TOKEN_TTL: '-5' })).toMatch(/ACCESS_TOKEN_TTL/);
  });

  it('requires signing keys in production with ES256, and a database URL on Vercel', () => {
    expect(failure({ AUTH_SECRET: valid.AUTH_SECRET, NODE_ENV: 'production' })).toMatch(/JWT_PRIVATE_KEYS is required/);
    expect(parseConfig({ AUTH_SECRET: valid.AUTH_SECRET, NODE_ENV: 'production', JWT_ALG: 'HS256' }).production).toBe(true);
    expect(failure({ ...valid, VERCEL: '1' })).toMatch(/DATABASE_URL is required on Vercel/);
    expect(failure({ ...valid, DATABASE_URL: 'mysql://x' })).toMatch(/DATABASE_URL must be a postgres/);
  });

  it('turns the demo account off in production unless asked for, and trusts the proxy on Vercel', () => {
    const production = { ...valid, NODE_ENV: 'production', JWT_PRIVATE_KEYS: '[1]' };
    expect(parseConfig(production).demoAccount).toBe(false);
    expect(parseConfig({ ...production, DEMO_ACCOUNT: 'true' }).demoAccount).toBe(true);
    expect(parseConfig({ ...valid, VERCEL: '1', DATABASE_URL: 'postgres://h/db' }).trustProxy).toBe('x-real-ip');
    expect(parseConfig({ ...valid, TRUST_PROXY: 'true' }).trustProxy).toBe('x-forwarded-for');
    expect(parseConfig({ ...valid, TRUST_PROXY: 'x-real-ip' }).trustProxy).toBe('x-real-ip');
    expect(failure({ ...valid, TRUST_PROXY: 'yes please' })).toMatch(/TRUST_PROXY/);
    expect(failure({ ...valid, DEMO_CONTROLS: 'maybe' })).toMatch(/DEMO_CONTROLS/);
  });
});
