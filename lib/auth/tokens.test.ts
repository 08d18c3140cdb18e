import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { expectAuthError } from '@/test/auth';
import { getAccessKeys, getRefreshKey } from './keys';
import { signAccessToken, signRefreshToken, verifyAccessToken, verifyRefreshToken } from './tokens';

const now = () => Math.floor(Date.now() / 1000);

/** Valid access-token claims, to be spoiled one at a time. */
function accessClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const config = getConfig();
  const iat = now();
  return {
    iss: config.AUTH_ISSUER,
    sub: 'user-1',
    aud: [config.AUTH_CLIENT_ID, config.AUTH_SERVER_ID],
    client_id: config.AUTH_CLIENT_ID,
    exp: iat + 60,
    nbf: iat,
    iat,
    jti: crypto.randomUUID(),
    sid: 'session-1',
    ...overrides,
  };
}

async function signAccess(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { signing } = await getAccessKeys();
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: signing.kid, ...header })
    .sign(signing.key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('round-trips every claim of the profile', async () => {
    const { token, claims } = await signAccessToken({ userId: 'user-1', sessionId: 'session-1' });
    const verified = await verifyAccessToken(token);
    expect(verified).toEqual(claims);
    expect(verified.aud).toEqual([getConfig().AUTH_CLIENT_ID, getConfig().AUTH_SERVER_ID]);
    expect(verified.exp - verified.iat).toBe(getConfig().ACCESS_TOKEN_TTL);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'test-key-1' });
  });

  it('caps exp at notAfter so it never outlives the refresh session', async () => {
    const { claims } = await signAccessToken({ userId: 'u', sessionId: 's', notAfter: now() + 7 });
    expect(claims.exp).toBe(now() + 7);
  });

  it('gives each token a unique jti', async () => {
    const a = await signAccessToken({ userId: 'u', sessionId: 's' });
    const b = await signAccessToken({ userId: 'u', sessionId: 's' });
    expect(a.claims.jti).not.toBe(b.claims.jti);
  });

  it('reports token_expired only for an expired but otherwise valid token', async () => {
    const token = await signAccess(accessClaims({ exp: now() - 10, iat: now() - 70, nbf: now() - 70 }));
    await expectAuthError(verifyAccessToken(token), 'token_expired');
  });

  it('allows five seconds of clock skew on exp and nbf', async () => {
    await expect(verifyAccessToken(await signAccess(accessClaims({ exp: now() - 2 })))).resolves.toBeTruthy();
    await expect(verifyAccessToken(await signAccess(accessClaims({ nbf: now() + 2 })))).resolves.toBeTruthy();
  });

  it('rejects a token whose nbf is in the future', async () => {
    const token = await signAccess(accessClaims({ nbf: now() + 60 }));
    await expectAuthError(verifyAccessToken(token), 'invalid_token');
  });

  it('rejects a wrong signature', async () => {
    const token = await signAccess(accessClaims());
    const [header, payload, signature] = token.split('.');
    const flipped = signature!.slice(0, -2) + (signature!.endsWith('AA') ? 'BB' : 'AA');
    await expectAuthError(verifyAccessToken(`${header}.${payload}.${flipped}`), 'invalid_token');
  });

  it('rejects changed claims under the original signature', async () => {
    const token = await signAccess(accessClaims());
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64(accessClaims({ sub: 'admin' }))}.${signature}`;
    await expectAuthError(verifyAccessToken(forged), 'invalid_token');
  });

  it('rejects alg "none"', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'test-key-1' })}.${b64(accessClaims())}.`;
    await expectAuthError(verifyAccessToken(token), 'invalid_token');
  });

  it('rejects an HS256 token made with the public key as the secret', async () => {
    const { publicJwks } = await getAccessKeys();
    const secret = new TextEncoder().encode(JSON.stringify(publicJwks[0]));
    const token = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'test-key-1' })
      .sign(secret);
    await expectAuthError(verifyAccessToken(token), 'invalid_token');
  });

  it('rejects another algorithm even from a valid-looking key', async () => {
    const { privateKey } = await generateKeyPair('ES384');
    const token = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: 'test-key-1' })
      .sign(privateKey);
    await expectAuthError(verifyAccessToken(token), 'invalid_token');
  });

  it('rejects a token signed by a key it is not configured with, even under a known kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'test-key-1' })
      .sign(privateKey);
    await expectAuthError(verifyAccessToken(token), 'invalid_token');
  });

  it('rejects an unknown or missing kid', async () => {
    await expectAuthError(verifyAccessToken(await signAccess(accessClaims(), { kid: 'other' })), 'invalid_token');
    await expectAuthError(verifyAccessToken(await signAccess(accessClaims(), { kid: undefined })), 'invalid_token');
  });

  it('rejects tokens that bring or name their own key (jwk, jku, x5u, x5c, x5t, x5t#S256 headers)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const embedded = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk })
      .sign(privateKey);
    await expectAuthError(verifyAccessToken(embedded), 'invalid_token');
    const headers = [
      { jku: 'https://attacker.invalid/jwks' },
      { x5u: 'https://attacker.invalid/cert' },
      { x5c: ['AAAA'] },
      { x5t: 'q2y5mZP3U6gVf8BTF4rm8tZPSdo' },
      { 'x5t#S256': 'N0b4EzTfpx8nLJ5rQtIx_Pk3vGxwSxd6MYa3TCYm-Bk' },
    ];
    for (const header of headers) {
      const token = await signAccess(accessClaims(), header);
      await expectAuthError(verifyAccessToken(token), 'invalid_token');
    }
  });

  it('rejects a wrong or missing typ', async () => {
    await expectAuthError(verifyAccessToken(await signAccess(accessClaims(), { typ: 'JWT' })), 'invalid_token');
    await expectAuthError(verifyAccessToken(await signAccess(accessClaims(), { typ: undefined })), 'invalid_token');
  });

  it('rejects a refresh token presented as an access token', async () => {
    const refresh = await signRefreshToken({ sub: 'user-1', sid: 'session-1', jti: 'j', iat: now(), exp: now() + 60 });
    await expectAuthError(verifyAccessToken(refresh), 'invalid_token');
  });

  it('rejects a wrong issuer', async () => {
    await expectAuthError(
      verifyAccessToken(await signAccess(accessClaims({ iss: 'https://elsewhere.invalid' }))),
      'invalid_token',
    );
  });

  it('requires BOTH audiences (jose alone would accept either)', async () => {
    const { AUTH_CLIENT_ID: clientId, AUTH_SERVER_ID: serverId } = getConfig();
    for (const aud of [[clientId], [serverId], clientId, serverId, ['someone-else', serverId]]) {
      const token = await signAccess(accessClaims({ aud }));
      await expectAuthError(verifyAccessToken(token), 'invalid_token');
    }
  });

  it('accepts the audiences in either order and alongside others', async () => {
    const { AUTH_CLIENT_ID: clientId, AUTH_SERVER_ID: serverId } = getConfig();
    await expect(
      verifyAccessToken(await signAccess(accessClaims({ aud: [serverId, clientId, 'extra'] }))),
    ).resolves.toBeTruthy();
  });

  it('rejects a token missing any required claim', async () => {
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid', 'client_id']) {
      const token = await signAccess(accessClaims({ [claim]: undefined }));
      await expectAuthError(verifyAccessToken(token), 'invalid_token');
    }
  });

  it('rejects claims of the wrong type and a foreign client_id', async () => {
    for (const overrides of [
      { sub: 42 },
      { jti: '' },
      { sid: { id: 1 } },
      { exp: 'soon' },
      { client_id: 'other-client' },
    ]) {
      const token = await signAccess(accessClaims(overrides));
      await expectAuthError(verifyAccessToken(token), 'invalid_token');
    }
  });

  it('rejects malformed strings without throwing anything but invalid_token', async () => {
    const samples = [
      '',
      'abc',
      'a.b',
      'a.b.c',
      '...',
      'eyJ.eyJ.',
      '\u0000',
      'x'.repeat(5000),
      `${b64({ alg: 'ES256' })}.%%%.###`,
    ];
    for (const sample of samples) {
      await expectAuthError(verifyAccessToken(sample), 'invalid_token');
    }
  });
});

describe('refresh tokens', () => {
  const refreshClaims = () => ({
    sub: 'user-1',
    sid: 'session-1',
    jti: crypto.randomUUID(),
    iat: now(),
    exp: now() + 600,
  });

  it('round-trips and is deterministic for the same claims', async () => {
    const claims = refreshClaims();
    const token = await signRefreshToken(claims);
    expect(await signRefreshToken(claims)).toBe(token);
    expect(await verifyRefreshToken(token)).toMatchObject(claims);
  });

  it('rejects an access token presented as a refresh token', async () => {
    const { token } = await signAccessToken({ userId: 'user-1', sessionId: 'session-1' });
    const error = await expectAuthError(verifyRefreshToken(token), 'invalid_grant');
    expect(error.code).toBe('invalid_grant');
    expect(error.detail.reason).toBe('invalid');
  });

  it('rejects an access-token-shaped token signed with the refresh key', async () => {
    const token = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(await getRefreshKey());
    await expectAuthError(verifyRefreshToken(token), 'invalid_grant', { reason: 'invalid' });
  });

  it('reports expiry as reason "expired"', async () => {
    const token = await signRefreshToken({ ...refreshClaims(), iat: now() - 100, exp: now() - 10 });
    const error = await expectAuthError(verifyRefreshToken(token), 'invalid_grant');
    expect(error.code).toBe('invalid_grant');
    expect(error.detail.reason).toBe('expired');
  });

  it('rejects a wrong typ, issuer, audience or key', async () => {
    const key = await getRefreshKey();
    const base = { ...refreshClaims(), iss: getConfig().AUTH_ISSUER, aud: getConfig().AUTH_SERVER_ID };
    const samples = [
      new SignJWT(base).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key),
      new SignJWT({ ...base, iss: 'other' }).setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt' }).sign(key),
      new SignJWT({ ...base, aud: getConfig().AUTH_CLIENT_ID })
        .setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt' })
        .sign(key),
      new SignJWT(base)
        .setProtectedHeader({ alg: 'HS256', typ: 'rt+jwt' })
        .sign(new TextEncoder().encode('x'.repeat(32))),
    ];
    for (const token of await Promise.all(samples)) {
      await expectAuthError(verifyRefreshToken(token), 'invalid_grant', { reason: 'invalid' });
    }
  });

  it('rejects alg "none" and garbage', async () => {
    const none = `${b64({ alg: 'none', typ: 'rt+jwt' })}.${b64(refreshClaims())}.`;
    for (const sample of [none, '', 'not-a-jwt', 'a.b.c']) {
      await expectAuthError(verifyRefreshToken(sample), 'invalid_grant', { reason: 'invalid' });
    }
  });
});
