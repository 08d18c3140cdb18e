import { createHmac, generateKeyPairSync } from 'node:crypto';
import { expect } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader, exportJWK, exportSPKI, importJWK, SignJWT } from 'jose';
import { type Api, type ApiResponse, type MeBody } from './api';
import { expectError, expectNoStore } from './assertions';
import { test } from './fixtures';
import { DEMO, now } from './helpers';
import { b64url, publicJwk, resign, signAccess, signRefreshLike, unsealCookie } from './server-secrets';
import { SHORT_TTL } from './servers';

const RENEWED = 'x-renewed-access-token';
const RENEWED_EXPIRES = 'x-renewed-expires-in';

async function signIn(api: Api) {
  const response = await api.login(DEMO.username, DEMO.password);
  expect(response.status).toBe(200);
  const accessToken = (response.json as { accessToken: string }).accessToken;
  return { accessToken, cookie: response.cookie!.value };
}

/** The challenge's scheme: DPoP (RFC 9449 §7.1) from a DPoP server, Bearer (RFC 6750 §3) from one with DPoP off. */
const challengeScheme = (response: ApiResponse) => (response.dpop ? /^DPoP algs="ES256"/ : /^Bearer realm="api"/);

/** 401 invalid_token with the server's challenge: error="invalid_token" and an error_description. */
function expectInvalidToken(response: ApiResponse, code: 'invalid_token' | 'token_expired' = 'invalid_token'): void {
  expectError(response, 401, code);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(challengeScheme(response));
  expect(challenge).toContain('error="invalid_token"');
  expect(challenge).toMatch(/error_description="[^"]+"/);
  expect(response.headers.get(RENEWED)).toBeNull();
}

/** 401 for a request without credentials: a bare challenge with no error code (RFC 6750 §3.1, RFC 9449 §7.1). */
function expectMissingToken(response: ApiResponse): void {
  expectError(response, 401, 'missing_token');
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(challengeScheme(response));
  expect(challenge).not.toContain('error=');
}

test.describe('GET /api/me with an access token', () => {
  test('200 {user, token: {claims}}: an at+jwt ES256 token with kid and every required claim', async ({ api }) => {
    const { accessToken } = await signIn(api);
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });

    const response = await api.me(`Bearer ${accessToken}`);
    expect(response.status).toBe(200);
    expectNoStore(response);
    const body = response.json as MeBody;
    expect(body.user).toEqual({ id: expect.any(String), username: DEMO.username });
    const claims = body.token.claims;
    expect(claims).toEqual(decodeJwt(accessToken));
    for (const name of ['iss', 'sub', 'aud', 'client_id', 'exp', 'nbf', 'iat', 'jti', 'sid'])
      expect(claims, name).toHaveProperty(name);
    expect(claims.sub).toBe(body.user.id);
    const aud = claims.aud as string[];
    expect(Array.isArray(aud)).toBe(true);
    expect(new Set(aud).size).toBe(2);
    expect(aud).toContain(claims.client_id);
    expect(claims.exp as number).toBeGreaterThan(claims.iat as number);
    expect(claims.nbf as number).toBeLessThanOrEqual(now() + 1);
    // A fresh token is not past half its life: no sliding renewal yet.
    expect(response.headers.get(RENEWED)).toBeNull();
  });

  test('the scheme is case-insensitive: "bearer <token>" (or "dpop <token>") works', async ({ api }) => {
    const { accessToken } = await signIn(api);
    expect((await api.me(`${api.scheme.toLowerCase()} ${accessToken}`)).status).toBe(200);
  });

  test('no credentials: 401 missing_token with a bare WWW-Authenticate challenge', async ({ api }) => {
    expectMissingToken(await api.me());
  });

  test('a Basic header is no access token: 401 with the bare challenge', async ({ api }) => {
    expectMissingToken(await api.me(`Basic ${Buffer.from(`${DEMO.username}:${DEMO.password}`).toString('base64')}`));
  });

  test('the refresh cookie alone does not authenticate /api/me', async ({ api }) => {
    const { cookie } = await signIn(api);
    expectMissingToken(await api.call('GET', '/api/me', { cookie }));
  });

  test('an access token in the query string is not accepted', async ({ api }) => {
    const { accessToken } = await signIn(api);
    expectMissingToken(await api.call('GET', `/api/me?access_token=${accessToken}`));
  });

  test('an expired token: 401 token_expired with error="invalid_token" in WWW-Authenticate', async ({ api }) => {
    const { accessToken } = await signIn(api);
    const expired = await resign(accessToken, { iat: now() - 600, nbf: now() - 600, exp: now() - 60 });
    expectInvalidToken(await api.me(`Bearer ${expired}`), 'token_expired');
  });

  test('expired and forged is invalid_token, not token_expired: expiry is only told for an otherwise valid token', async ({
    api,
  }) => {
    const { accessToken } = await signIn(api);
    const expired = await resign(accessToken, { iat: now() - 600, nbf: now() - 600, exp: now() - 60 });
    const [header, payload, signature] = expired.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expectInvalidToken(await api.me(`Bearer ${forged}`), 'invalid_token');
  });

  type Forge = (real: { accessToken: string; cookie: string }) => Promise<string> | string;
  const forgeries: [string, Forge][] = [
    ['"Bearer" with nothing after it', () => ''],
    ['a token that is not a JWT', () => 'abc.def.ghi'],
    [
      'alg "none" with the real claims',
      ({ accessToken }) =>
        `${b64url({ alg: 'none', typ: 'at+jwt', kid: publicJwk().kid })}.${accessToken.split('.')[1]}.`,
    ],
    [
      'a flipped signature',
      ({ accessToken }) => {
        const signature = accessToken.split('.')[2]!;
        const flipped = Buffer.from(signature, 'base64url');
        flipped[5] = flipped[5]! ^ 0x01;
        return accessToken.split('.').slice(0, 2).join('.') + '.' + flipped.toString('base64url');
      },
    ],
    [
      'claims edited under the original signature',
      ({ accessToken }) => {
        const [header, , signature] = accessToken.split('.');
        return `${header}.${b64url({ ...decodeJwt(accessToken), sub: crypto.randomUUID() })}.${signature}`;
      },
    ],
    ['the refresh token (from the cookie) used as a bearer token', async ({ cookie }) => (await unsealCookie(cookie))!],
    ['a 10 KB token', () => 'a'.repeat(10 * 1024)],
    [
      'only the client audience (real key)',
      ({ accessToken }) => resign(accessToken, { aud: decodeJwt(accessToken).client_id as string }),
    ],
    [
      'only the server audience (real key)',
      ({ accessToken }) =>
        resign(accessToken, {
          aud: (decodeJwt(accessToken).aud as string[]).filter((a) => a !== decodeJwt(accessToken).client_id),
        }),
    ],
    [
      'a foreign audience added in place of one of ours (real key)',
      ({ accessToken }) => resign(accessToken, { aud: [decodeJwt(accessToken).client_id as string, 'someone-else'] }),
    ],
    ['typ "JWT" instead of "at+jwt" (real key)', ({ accessToken }) => resign(accessToken, {}, { typ: 'JWT' })],
    ['an unknown kid (real key)', ({ accessToken }) => resign(accessToken, {}, { kid: 'not-our-key' })],
    ['another issuer (real key)', ({ accessToken }) => resign(accessToken, { iss: 'https://evil.example' })],
    ['another client_id (real key)', ({ accessToken }) => resign(accessToken, { client_id: 'someone-else' })],
    ['no sid claim (real key)', ({ accessToken }) => resign(accessToken, { sid: undefined })],
    ['no jti claim (real key)', ({ accessToken }) => resign(accessToken, { jti: undefined })],
    ['an nbf a minute ahead (real key)', ({ accessToken }) => resign(accessToken, { nbf: now() + 60 })],
    ['a sub that names no user (real key)', ({ accessToken }) => resign(accessToken, { sub: crypto.randomUUID() })],
    [
      'a token signed by another key under our kid',
      async ({ accessToken }) => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return new SignJWT(decodeJwt(accessToken))
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: publicJwk().kid })
          .sign(privateKey);
      },
    ],
    [
      'an embedded jwk header naming the attacker’s own key',
      async ({ accessToken }) => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const jwk = await exportJWK(publicKey);
        return new SignJWT(decodeJwt(accessToken))
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: publicJwk().kid, jwk })
          .sign(privateKey);
      },
    ],
    [
      'a jku header (real key)',
      ({ accessToken }) => resign(accessToken, {}, { jku: 'https://evil.example/jwks.json' }),
    ],
    [
      'HS256 keyed with our public key (algorithm confusion)',
      async ({ accessToken }) => {
        const pem = await exportSPKI((await importJWK(publicJwk(), 'ES256', { extractable: true })) as CryptoKey);
        const head = `${b64url({ alg: 'HS256', typ: 'at+jwt', kid: publicJwk().kid })}.${accessToken.split('.')[1]}`;
        return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
      },
    ],
    [
      'HS256 with the server’s refresh key and access claims',
      ({ accessToken }) => signRefreshLike(decodeJwt(accessToken), { alg: 'HS256', typ: 'at+jwt' }),
    ],
  ];
  for (const [label, forge] of forgeries) {
    test(`401 invalid_token for ${label}`, async ({ api }) => {
      const real = await signIn(api);
      const token = await forge(real);
      expectInvalidToken(await api.me(`Bearer ${token}`));
    });
  }

  test('control: the real token re-signed unchanged with the real key is accepted (the forgeries above fail for their change)', async ({
    api,
  }) => {
    const { accessToken } = await signIn(api);
    expect((await api.me(`Bearer ${await resign(accessToken)}`)).status).toBe(200);
    expect((await api.me(`Bearer ${await signAccess(decodeJwt(accessToken))}`)).status).toBe(200);
  });
});

test.describe('sliding renewal at /api/me', () => {
  /** The signed-in token re-signed as if issued `age` seconds ago with `left` seconds to go. */
  const aged = (accessToken: string, age: number, left: number) =>
    resign(accessToken, { iat: now() - age, nbf: now() - age, exp: now() + left });

  test('past half its life the answer carries a renewed token that verifies, for the same session', async ({ api }) => {
    const { accessToken } = await signIn(api);
    const old = await aged(accessToken, 80, 40);
    const response = await api.me(`Bearer ${old}`);
    expect(response.status).toBe(200);
    const renewed = response.headers.get(RENEWED);
    expect(renewed, 'x-renewed-access-token').toBeTruthy();
    const expiresIn = Number(response.headers.get(RENEWED_EXPIRES));
    expect(expiresIn).toBeGreaterThan(40);

    const claims = decodeJwt(renewed!);
    const original = decodeJwt(old);
    expect(claims.sid).toBe(original.sid);
    expect(claims.sub).toBe(original.sub);
    expect(claims.jti).not.toBe(original.jti);
    expect(Math.abs(claims.exp! - now() - expiresIn)).toBeLessThanOrEqual(2);
    expect((await api.me(`Bearer ${renewed}`)).status).toBe(200);
  });

  test('before half its life there is no renewal', async ({ api }) => {
    const { accessToken } = await signIn(api);
    const response = await api.me(`Bearer ${await aged(accessToken, 40, 80)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get(RENEWED)).toBeNull();
  });

  test('no renewal for a session that was logged out: its token, past half its life, is refused outright', async ({
    api,
  }) => {
    const { accessToken, cookie } = await signIn(api);
    expect((await api.logout(cookie)).status).toBe(204);
    const response = await api.me(`Bearer ${await aged(accessToken, 80, 40)}`);
    expect(response.status, response.text).toBe(401);
    expect((response.json as { error?: string }).error).toBe('invalid_token');
    expect(response.headers.get(RENEWED)).toBeNull();
    expect(response.headers.get(RENEWED_EXPIRES)).toBeNull();
  });

  test.describe('with real 3 s access tokens', () => {
    test.use({ baseURL: SHORT_TTL.url });

    test('a token past half its three-second life comes back renewed while it still lives', async ({
      api,
    }, testInfo) => {
      test.skip(testInfo.project.name !== 'api-sqlite', 'the short-TTL server is one SQLite server: once is enough');
      const { accessToken } = await signIn(api);
      const claims = decodeJwt(accessToken);
      expect(claims.exp! - claims.iat!).toBe(3);
      let response = await api.me(`Bearer ${accessToken}`);
      expect(response.headers.get(RENEWED)).toBeNull();
      await expect
        .poll(async () => (response = await api.me(`Bearer ${accessToken}`)).headers.get(RENEWED), { intervals: [250] })
        .toBeTruthy();
      expect(now(), 'renewed before the token expired').toBeLessThanOrEqual(claims.exp!);
      expect(response.status).toBe(200);
      expect(response.headers.get(RENEWED), 'x-renewed-access-token').toBeTruthy();
      const renewed = decodeJwt(response.headers.get(RENEWED)!);
      expect(renewed.sid).toBe(claims.sid);
      expect(renewed.exp!).toBeGreaterThan(claims.exp!);
    });
  });
});
