import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { REFRESH_RETRY_BUDGET_MS } from './protocol';
import { boundCookieWarning } from './auth/bound-cookie';
import { graceWindowWarning } from './auth/rotation';

const valid = { AUTH_SECRET: 'kW3n9Qx7Lr2Vb8Zt5Hy1Jc6Mf4Pd0Sg-', JWT_ALG: 'HS256' };

describe('start-up warnings', () => {
  it('warns when the grace window is shorter than the client retry budget, naming both', () => {
    expect(REFRESH_RETRY_BUDGET_MS).toBe(27_000);
    expect(graceWindowWarning(parseConfig(valid))).toBeUndefined();
    expect(graceWindowWarning(parseConfig({ ...valid, REFRESH_GRACE_SECONDS: '27' }))).toBeUndefined();
    expect(graceWindowWarning(parseConfig({ ...valid, REFRESH_GRACE_SECONDS: '10' }))).toMatch(
      /REFRESH_GRACE_SECONDS=10 is shorter than the client's refresh retry budget \(27 s\)/,
    );
  });

  it('warns about a DBSC bound cookie Chrome would renew on every request, unless DBSC is off', () => {
    expect(boundCookieWarning(parseConfig(valid))).toBeUndefined();
    expect(boundCookieWarning(parseConfig({ ...valid, DBSC_COOKIE_TTL: '60' }))).toMatch(
      /DBSC_COOKIE_TTL=60 .* every request/,
    );
    expect(boundCookieWarning(parseConfig({ ...valid, DBSC: 'off', DBSC_COOKIE_TTL: '60' }))).toBeUndefined();
  });
});
