import { createHash } from 'node:crypto';
import { expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import { Api, PATHS, type ApiResponse, type ErrorBody, type Session } from './api';
import { expectError, expectInvalidGrant, expectTokenResponse } from './assertions';
import { test } from './fixtures';
import { DEMO, now, PASSWORD, uniqueName } from './helpers';
import { accessTokenHash, newProofKey, type ProofChanges } from './proofs';
import { rawRequest } from './raw-request';
import { resign, unsealCookie } from './server-secrets';
import { BEARER, NONCE, POSTGRES, POSTGRES_B } from './servers';

/**
 * DPoP (RFC 9449) over HTTP against `next start`: tokens and refresh sessions bound to the key that signed the sign-in's
 * proof, every way a proof is refused, a copied cookie without the key, nonces, and replay across two instances.
 */

const IAT_WINDOW = 60;

interface SessionsBody {
  sessions: { id: string; current: boolean; keyBound: boolean; refused: { count: number; lastAt: number } | null }[];
}

/** 400 at a token endpoint: the proof refused for `claim` (its name in the message), the refresh cookie untouched. */
function expectProofRefusedAtToken(response: ApiResponse, claim: RegExp): void {
  const body = expectError(response, 400, 'invalid_dpop_proof');
  expect(body.message).toMatch(claim);
  expect(response.headers.get('www-authenticate')).toBeNull();
}

/** 401 at an API call: the proof refused for `claim`, with the DPoP challenge naming the error. */
function expectProofRefusedAtApi(response: ApiResponse, claim: RegExp): void {
  const body = expectError(response, 401, 'invalid_dpop_proof');
  expect(body.message).toMatch(claim);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^DPoP algs="ES256", error="invalid_dpop_proof", error_description="[^"]+"$/);
}

/** The signed-in user's sessions, as the Sessions page reads them. */
async function sessionsOf(api: Api, session: Session): Promise<SessionsBody['sessions']> {
  const response = await api.call('GET', '/api/auth/sessions', {
    headers: { authorization: `DPoP ${session.accessToken}` },
  });
  expect(response.status, response.text).toBe(200);
  return (response.json as SessionsBody).sessions;
}

test.describe('sign-in and registration', () => {
  test('without a proof: 400 invalid_dpop_proof, no cookie, and no account is created', async ({ api }) => {
    const username = uniqueName('noproof').toLowerCase();
    expectError(
      await api.post(PATHS.register, { json: { username, password: PASSWORD }, dpop: false }),
      400,
      'invalid_dpop_proof',
    );
    expectError(await api.post(PATHS.login, { json: DEMO, dpop: false }), 400, 'invalid_dpop_proof');
    expectError(await api.login(username, PASSWORD), 401, 'invalid_credentials');
  });

  test("binds the session to the proof's key: tokenType DPoP, cnf.jkt its RFC 7638 thumbprint, the session row holds it", async ({
    api,
    store,
  }) => {
    const session = await api.signUp('bound');
    expect(session.body.tokenType).toBe('DPoP');
    // RFC 7638 by hand: SHA-256 of the required members in lexicographic order, no whitespace.
    const { crv, kty, x, y } = (await api.key()).jwk;
    const thumbprint = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
    expect(session.claims.cnf).toEqual({ jkt: thumbprint });
    expect((await store.session(session.claims.sid))?.dpop_jkt).toBe(thumbprint);
    const refreshed = await api.refresh(session.cookie);
    expect(decodeJwt(expectTokenResponse(refreshed, 200).accessToken).cnf).toEqual({ jkt: thumbprint });
  });

  test('a proof made for another request is refused before any attempt: htm, htu, iat', async ({ api }) => {
    const login = (changes: ProofChanges) => api.post(PATHS.login, { json: DEMO, dpop: changes });
    expectProofRefusedAtToken(await login({ htm: 'GET' }), /\(htm\)/);
    expectProofRefusedAtToken(await login({ htu: api.proofOrigin + PATHS.register }), /\(htu\)/);
    expectProofRefusedAtToken(await login({ iat: now() - 2 * IAT_WINDOW }), /\(iat\)/);
    expectTokenResponse(await login({}), 200, DEMO.username);
  });
});

test.describe('API calls', () => {
  test('a DPoP-bound token sent as Bearer is refused, with or without a proof: 401 invalid_token', async ({ api }) => {
    const session = await api.signUp('downgrade');
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    const withoutProof = await api.call('GET', PATHS.me, { headers: bearer, dpop: false });
    const withProof = await api.call('GET', PATHS.me, {
      headers: bearer,
      dpop: await api.proof('GET', PATHS.me, session.accessToken),
    });
    for (const response of [withoutProof, withProof]) {
      expectError(response, 401, 'invalid_token');
      expect(response.headers.get('www-authenticate')).toMatch(/^DPoP algs="ES256", error="invalid_token"/);
    }
  });

  test('no token: 401 missing_token with the bare challenge WWW-Authenticate: DPoP algs="ES256"', async ({ api }) => {
    const response = await api.me();
    expectError(response, 401, 'missing_token');
    expect(response.headers.get('www-authenticate')).toBe('DPoP algs="ES256"');
  });

  test('the DPoP scheme without a proof: 401 invalid_dpop_proof', async ({ api }) => {
    const session = await api.signUp('noproof');
    expectProofRefusedAtApi(await api.me(`DPoP ${session.accessToken}`, false), /DPoP header/);
  });

  const refusals: [string, (api: Api) => Promise<ProofChanges> | ProofChanges, RegExp][] = [
    ['another method (htm)', () => ({ htm: 'POST' }), /\(htm\)/],
    ['another path (htu)', (api) => ({ htu: api.proofOrigin + '/api/auth/sessions' }), /\(htu\)/],
    ['another origin (htu)', () => ({ htu: `http://evil.example${PATHS.me}` }), /\(htu\)/],
    [`an iat ${2 * IAT_WINDOW} s old`, () => ({ iat: now() - 2 * IAT_WINDOW }), /\(iat\)/],
    [`an iat ${2 * IAT_WINDOW} s ahead`, () => ({ iat: now() + 2 * IAT_WINDOW }), /\(iat\)/],
    ['no ath', () => ({ ath: null }), /\(ath\)/],
    ['the ath of another token', async () => ({ ath: await accessTokenHash(`${crypto.randomUUID()}.x.y`) }), /\(ath\)/],
    ["another key than the token's cnf.jkt", async () => ({ key: await newProofKey() }), /key other than the token's/],
    [
      "the token's key in its header but another key's signature",
      async (api) => ({ key: await newProofKey(), header: { jwk: (await api.key()).jwk } }),
      /signature/,
    ],
    ['typ JWT', () => ({ header: { typ: 'JWT' } }), /typ/],
  ];
  for (const [label, changes, claim] of refusals) {
    test(`a proof with ${label}: 401 invalid_dpop_proof, and the right proof then works`, async ({ api }) => {
      const session = await api.signUp('proof');
      const authorization = `DPoP ${session.accessToken}`;
      expectProofRefusedAtApi(await api.me(authorization, await changes(api)), claim);
      expect((await api.me(authorization)).status).toBe(200);
    });
  }

  test('a spoofed X-Forwarded-Host does not move htu (no TRUST_PROXY): a proof for the forwarded host is refused', async ({
    api,
  }) => {
    test.skip(
      api.proofOrigin !== api.origin,
      'this server names its origin in APP_ORIGIN: the Host is not consulted at all',
    );
    const session = await api.signUp('xfh');
    const headers = {
      authorization: `DPoP ${session.accessToken}`,
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    };
    const dpop = await api.proof('GET', PATHS.me, session.accessToken, { htu: `https://evil.example${PATHS.me}` });
    expectProofRefusedAtApi(await api.call('GET', PATHS.me, { headers, dpop }), /\(htu\)/);
  });

  test('a replayed proof (same jti) is refused at /api/me', async ({ api }) => {
    const session = await api.signUp('replay');
    const authorization = `DPoP ${session.accessToken}`;
    const proof = await api.proof('GET', PATHS.me, session.accessToken);
    expect((await api.me(authorization, proof)).status).toBe(200);
    expectProofRefusedAtApi(await api.me(authorization, proof), /\(jti\)/);
  });
});

test.describe('refresh and logout with a key-bound session', () => {
  test('a refused proof (400) changes nothing: the cookie is neither set nor cleared, nothing rotates', async ({
    api,
    store,
  }) => {
    const session = await api.signUp('refused');
    const before = await store.session(session.claims.sid);
    const refresh = (dpop: ProofChanges) => api.post(PATHS.refresh, { cookie: session.cookie, dpop });
    expectProofRefusedAtToken(await refresh({ htm: 'GET' }), /\(htm\)/);
    expectProofRefusedAtToken(await refresh({ htu: api.proofOrigin + PATHS.logout }), /\(htu\)/);
    expectProofRefusedAtToken(await refresh({ iat: now() + 2 * IAT_WINDOW }), /\(iat\)/);
    expectProofRefusedAtToken(await refresh({ header: { typ: 'JWT' } }), /typ/);
    expect(await store.session(session.claims.sid)).toEqual(before);
    expectTokenResponse(await api.refresh(session.cookie), 200, session.username);
  });

  test('a replayed refresh proof is refused (400), the cookie it came with untouched; a fresh proof refreshes', async ({
    api,
    store,
  }) => {
    const session = await api.signUp('rt-replay');
    const proof = await api.proof('POST', PATHS.refresh);
    const first = await api.post(PATHS.refresh, { cookie: session.cookie, dpop: proof });
    expectTokenResponse(first, 200);
    const successor = first.cookie!.value;
    expectProofRefusedAtToken(await api.post(PATHS.refresh, { cookie: successor, dpop: proof }), /\(jti\)/);
    expect((await store.session(session.claims.sid))?.generation).toBe(1);
    expectTokenResponse(await api.refresh(successor), 200);
  });

  test("the cookie without the key (no proof, or another key's): 401 wrong_key, cookie cleared, the session lives on", async ({
    api,
    store,
  }) => {
    const session = await api.signUp('wrong-key');
    const thief = new Api(api.baseURL);
    const attempts = [
      await api.post(PATHS.refresh, { cookie: session.cookie, dpop: false }),
      await thief.refresh(session.cookie),
    ];
    for (const response of attempts) {
      expectInvalidGrant(response, 'wrong_key');
      expect((response.json as ErrorBody).cause).toBe('key_lost');
    }
    const row = await store.session(session.claims.sid);
    expect(row?.revoked_at).toBeNull();
    expect(row?.generation).toBe(0);

    // The owner's browser refreshes with the same cookie, and sees the refused attempts on its Sessions page.
    const refreshed = await api.refresh(session.cookie);
    const body = expectTokenResponse(refreshed, 200, session.username);
    const listed = (await sessionsOf(api, { ...session, accessToken: body.accessToken })).find(
      (entry) => entry.id === session.claims.sid,
    );
    expect(listed).toMatchObject({ current: true, keyBound: true, refused: { count: 2, lastAt: expect.any(Number) } });
    expect(Math.abs(listed!.refused!.lastAt - Date.now())).toBeLessThan(60_000);
  });

  test('the key is checked before reuse: a rotated cookie with another key is wrong_key, not reuse, and revokes nothing', async ({
    api,
    store,
  }) => {
    const session = await api.signUp('before-reuse');
    const rotated = await api.refresh(session.cookie);
    expectTokenResponse(rotated, 200);
    // Within the grace window the old cookie would get the successor; without the key it gets nothing.
    expectInvalidGrant(await new Api(api.baseURL).refresh(session.cookie), 'wrong_key');
    expect((await store.session(session.claims.sid))?.revoked_at).toBeNull();
    expectTokenResponse(await api.refresh(rotated.cookie!.value), 200);
  });

  test("logout without the key does not end the session; the owner's logout does", async ({ api, store }) => {
    const session = await api.signUp('logout-key');
    expectInvalidGrant(await new Api(api.baseURL).logout(session.cookie), 'wrong_key');
    expectInvalidGrant(await api.post(PATHS.logout, { cookie: session.cookie, dpop: false }), 'wrong_key');
    expect((await store.session(session.claims.sid))?.revoked_at).toBeNull();
    const refreshed = await api.refresh(session.cookie);
    expectTokenResponse(refreshed, 200);

    expect((await api.logout(refreshed.cookie!.value)).status).toBe(204);
    expect((await store.session(session.claims.sid))?.revoke_reason).toBe('signed_out');
  });

  test('20 parallel refreshes of one cookie, each with its own proof: all 200, one successor, every token bound', async ({
    api,
    store,
  }) => {
    const session = await api.signUp('race');
    const responses = await Promise.all(Array.from({ length: 20 }, () => api.refresh(session.cookie)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const successors = new Set(await Promise.all(responses.map((response) => unsealCookie(response.cookie!.value))));
    expect(successors.size).toBe(1);
    for (const response of responses) expectTokenResponse(response, 200, session.username);
    const row = await store.session(session.claims.sid);
    expect(row?.generation).toBe(1);
    expect(row?.revoked_at).toBeNull();
  });
});

test.describe('server nonces (DPOP_NONCE=on)', () => {
  test.use({ baseURL: NONCE.url });
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'api-sqlite', 'the nonce server is one SQLite server: once is enough');
  });

  test('a proof without the nonce: 400 use_dpop_nonce with DPoP-Nonce; the retry with it signs up', async ({ api }) => {
    const username = uniqueName('nonce').toLowerCase();
    const first = await api.register(username, PASSWORD);
    expectError(first, 400, 'use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    // The Api puts the nonce it was sent in its next proof, as the browser's client does.
    expectTokenResponse(await api.register(username, PASSWORD), 201, username);
    expect(api.nonce).toBe(nonce);
  });

  test('a refresh refused for its nonce costs nothing: the same cookie then refreshes', async ({ api, store }) => {
    expectError(await api.post(PATHS.refresh), 400, 'use_dpop_nonce');
    const session = await api.signUp('nonce-rt');
    for (const nonce of [null, 'made-up.nonce']) {
      const refused = await api.post(PATHS.refresh, { cookie: session.cookie, dpop: { nonce } });
      expectError(refused, 400, 'use_dpop_nonce');
      expect(refused.headers.get('dpop-nonce')).toBe(api.nonce);
    }
    expect((await store.session(session.claims.sid))?.generation).toBe(0);
    expectTokenResponse(await api.refresh(session.cookie), 200, session.username);
  });

  test('at an API call: 401 use_dpop_nonce with the DPoP challenge and DPoP-Nonce', async ({ api }) => {
    expectError(await api.post(PATHS.refresh), 400, 'use_dpop_nonce');
    const session = await api.signUp('nonce-api');
    const refused = await api.me(`DPoP ${session.accessToken}`, { nonce: null });
    expectError(refused, 401, 'use_dpop_nonce');
    expect(refused.headers.get('www-authenticate')).toMatch(/^DPoP algs="ES256", error="use_dpop_nonce"/);
    expect(refused.headers.get('dpop-nonce')).toBeTruthy();
    expect((await api.me(`DPoP ${session.accessToken}`)).status).toBe(200);
  });

  test('with APP_ORIGIN the Host header is not consulted: a proof for the Host sent is refused, one for APP_ORIGIN accepted', async ({
    api,
  }) => {
    expectError(await api.post(PATHS.refresh), 400, 'use_dpop_nonce');
    const signIn = async (htu: string) => {
      const proof = await api.proof('POST', PATHS.login, undefined, { htu });
      const body = JSON.stringify(DEMO);
      const raw = `POST ${PATHS.login} HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nDPoP: ${proof}\r\nConnection: close\r\n\r\n${body}`;
      return rawRequest(api.baseURL, raw);
    };
    const spoofed = await signIn(`http://evil.example${PATHS.login}`);
    expect(spoofed.status, spoofed.raw.slice(0, 200)).toBe(400);
    expect(spoofed.raw).toMatch(/"invalid_dpop_proof".*\(htu\)/s);
    const named = await signIn(NONCE.env.APP_ORIGIN + PATHS.login);
    expect(named.status, named.raw.slice(0, 200)).toBe(200);
  });
});

test.describe('across two instances on one Postgres', () => {
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'api-postgres', 'needs the two Postgres instances');
  });

  /** The same browser (key) talking to instance A and instance B, which requires nonces, and a session on A. */
  async function twoInstances() {
    const a = new Api(POSTGRES!.url);
    const b = new Api(POSTGRES_B!.url, await a.key());
    expect(b.proofOrigin, 'both instances serve one origin').toBe(a.proofOrigin);
    expectError(await b.post(PATHS.refresh), 400, 'use_dpop_nonce');
    return { a, b, session: await a.signUp('instances') };
  }

  test('a refresh proof accepted by A is refused when replayed on B; B takes a fresh one', async () => {
    const { a, b, session } = await twoInstances();
    const proof = await a.proof('POST', PATHS.refresh, undefined, { nonce: b.nonce });
    const onA = await a.post(PATHS.refresh, { cookie: session.cookie, dpop: proof });
    expectTokenResponse(onA, 200);
    expectProofRefusedAtToken(await b.post(PATHS.refresh, { cookie: onA.cookie!.value, dpop: proof }), /\(jti\)/);
    expectTokenResponse(await b.refresh(onA.cookie!.value), 200, session.username);
  });

  test('a nonce issued by another instance is accepted (nonces are stateless)', async () => {
    const a = new Api(POSTGRES!.url);
    const b = new Api(POSTGRES_B!.url, await a.key());
    const session = await a.signUp('nonce-elsewhere');
    // The SQLite nonce server issues it: another process, sharing only AUTH_SECRET with B.
    const issued = await new Api(NONCE.url).post(PATHS.refresh);
    expectError(issued, 400, 'use_dpop_nonce');
    const nonce = issued.headers.get('dpop-nonce')!;
    expect(nonce).toBeTruthy();
    expectError(await b.post(PATHS.refresh, { cookie: session.cookie, dpop: { nonce: null } }), 400, 'use_dpop_nonce');
    expectTokenResponse(
      await b.post(PATHS.refresh, { cookie: session.cookie, dpop: { nonce } }),
      200,
      session.username,
    );
  });

  test('with DPOP_REPLAY=store an /api/me proof accepted by A is refused when replayed on B', async () => {
    const { a, b, session } = await twoInstances();
    const authorization = `DPoP ${session.accessToken}`;
    const proof = await a.proof('GET', PATHS.me, session.accessToken, { nonce: b.nonce });
    expect((await a.me(authorization, proof)).status).toBe(200);
    expectProofRefusedAtApi(await b.me(authorization, proof), /\(jti\)/);
    expect((await b.me(authorization)).status).toBe(200);
  });
});

test.describe('DPOP_MODE=off', () => {
  test.use({ baseURL: BEARER.url });
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'api-sqlite', 'the Bearer server is one SQLite server: once is enough');
  });

  test('tokens are Bearer and unbound, no proof is asked for, and the DPoP scheme is not taken', async ({ api }) => {
    const session = await api.signUp('bearer');
    expect(session.body.tokenType).toBe('Bearer');
    expect(session.claims).not.toHaveProperty('cnf');
    expect((await api.me(`Bearer ${session.accessToken}`)).status).toBe(200);
    const dpop = await api.me(`DPoP ${session.accessToken}`);
    expectError(dpop, 401, 'missing_token');
    expect(dpop.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  test('a token bound to a key (cnf) is never accepted as a Bearer token', async ({ api }) => {
    const session = await api.signUp('bearer-cnf');
    const bound = await resign(session.accessToken, { cnf: { jkt: (await newProofKey()).jkt } });
    const response = await api.me(`Bearer ${bound}`);
    expectError(response, 401, 'invalid_token');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token"/);
    // Control: the same token re-signed without cnf is accepted.
    expect((await api.me(`Bearer ${await resign(session.accessToken)}`)).status).toBe(200);
  });
});
