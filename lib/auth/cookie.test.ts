import { hkdfSync } from 'node:crypto';
import { sealData } from 'iron-session';
import { describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { endedBecause, readRefreshCookie, sealRefreshToken } from './cookie';
import { signRefreshToken } from './tokens';

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function refreshToken(lifetime = 600) {
  const iat = nowSeconds();
  return signRefreshToken({
    sub: 'user-1',
    sid: crypto.randomUUID(),
    jti: crypto.randomUUID(),
    iat,
    exp: iat + lifetime,
  });
}

/** The string password cookies were sealed with before raw keys (HKDF of AUTH_SECRET, label "refresh-cookie"). */
function legacyPassword(): string {
  const bytes = hkdfSync('sha256', getConfig().AUTH_SECRET, 'jwt-session-reference/v1', 'refresh-cookie', 32);
  return Buffer.from(bytes).toString('base64url');
}

describe('the refresh cookie', () => {
  it('reads back what it sealed, with the token’s claims', async () => {
    const token = await refreshToken();
    const cookie = await readRefreshCookie(await sealRefreshToken(token, 600));
    expect(cookie.status).toBe('valid');
    expect(cookie.status === 'valid' && cookie.claims.sub).toBe('user-1');
  });

  it('seals with the raw key (password id 2): shorter than a string-password seal, no salts', async () => {
    const seal = await sealRefreshToken(await refreshToken(), 600);
    const parts = seal.split('~')[0]!.split('*');
    expect(parts[1]).toBe('2');
    expect(parts[2]).toBe('');
    expect(parts[6]).toBe('');
    expect(seal.length).toBeLessThan(700);
  });

  it('still reads a cookie sealed with the string password used before raw keys (nobody is signed out)', async () => {
    const token = await refreshToken();
    const legacy = await sealData({ rt: token }, { password: legacyPassword(), ttl: 600 });
    expect(legacy.split('*')[1]).toBe('1');
    const cookie = await readRefreshCookie(legacy);
    expect(cookie.status).toBe('valid');
  });

  it('says missing for no cookie and invalid for garbage, a tampered seal, a foreign password or an oversized value', async () => {
    expect(await readRefreshCookie(undefined)).toEqual({ status: 'missing' });
    expect(await readRefreshCookie('')).toEqual({ status: 'missing' });
    expect(await readRefreshCookie('not-a-seal')).toEqual({ status: 'invalid' });
    const seal = await sealRefreshToken(await refreshToken(), 600);
    const tampered = seal.slice(0, 60) + (seal[60] === 'A' ? 'B' : 'A') + seal.slice(61);
    expect(await readRefreshCookie(tampered)).toEqual({ status: 'invalid' });
    const foreign = await sealData(
      { rt: await refreshToken() },
      { password: 'another-password-another-password-0123', ttl: 600 },
    );
    expect(await readRefreshCookie(foreign)).toEqual({ status: 'invalid' });
    expect(await readRefreshCookie('x'.repeat(5000))).toEqual({ status: 'invalid' });
    const notAToken = await sealData({ rt: 'eyJhbGciOiJub25lIn0.e30.' }, { password: legacyPassword(), ttl: 600 });
    expect(await readRefreshCookie(notAToken)).toEqual({ status: 'invalid' });
  });

  it('says expired, with the session id, for a genuine token past its exp', async () => {
    const iat = nowSeconds() - 100;
    const sid = crypto.randomUUID();
    const token = await signRefreshToken({ sub: 'user-1', sid, jti: crypto.randomUUID(), iat, exp: iat + 50 });
    expect(await readRefreshCookie(await sealRefreshToken(token, 600))).toEqual({ status: 'expired', sid });
  });

  it('stops honouring a remembered cookie once its token expires', async () => {
    const seal = await sealRefreshToken(await refreshToken(60), 600);
    expect((await readRefreshCookie(seal)).status).toBe('valid');
    expect((await readRefreshCookie(seal, new Date(Date.now() + 61_000))).status).toBe('expired');
  });
});

describe('the session-ends companion cookie', () => {
  it('names the idle timeout or the maximum age once passed, and nothing for a malformed value', () => {
    expect(endedBecause('100.200', 150)).toBe('expired');
    expect(endedBecause('100.200', 200)).toBe('max_age');
    expect(endedBecause('100.200', 50)).toBeNull();
    expect(endedBecause('100', 150)).toBeNull();
    expect(endedBecause(undefined, 150)).toBeNull();
  });
});
