import { expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import { Api, PATHS, type ApiResponse } from './api';
import { expectInvalidGrant, expectTokenResponse } from './assertions';
import { test } from './fixtures';
import { sealAsServer, signRefreshLike, unsealCookie } from './server-secrets';
import { LIFETIMES } from './servers';

/** The refresh window the servers run with (REFRESH_GRACE_SECONDS). */
const GRACE_SECONDS = 10;

test.describe('POST /api/auth/refresh', () => {
  test('rotates: 200 with the login body, a new cookie holding a new refresh token, Cache-Control: no-store', async ({
    api,
    store,
  }) => {
    const session = await api.signUp();
    const response = await api.refresh(session.cookie);
    const body = expectTokenResponse(response, 200, session.username);
    expect(body.user.id).toBe(session.body.user.id);
    expect(response.cookie!.value).not.toBe(session.cookie);

    const before = decodeJwt((await unsealCookie(session.cookie))!);
    const after = decodeJwt((await unsealCookie(response.cookie!.value))!);
    expect(after.sid).toBe(before.sid);
    expect(after.jti).not.toBe(before.jti);
    expect(decodeJwt(body.accessToken).sid).toBe(session.claims.sid);
    expect(body.accessToken).not.toBe(session.accessToken);
    expect((await store.session(session.claims.sid))?.generation).toBe(1);
  });

  test('no cookie: 401 invalid_grant, reason "missing", cookie cleared', async ({ api }) => {
    expectInvalidGrant(await api.refresh(), 'missing');
  });

  test('a garbage cookie: 401 invalid_grant with the cookie cleared', async ({ api }) => {
    for (const cookie of ['garbage', 'Fe26.2*1*aa*bb*cc*dd*ee*ff', 'x'.repeat(5_000)]) {
      expectInvalidGrant(await api.refresh(cookie), ['invalid', 'missing']);
    }
  });

  test('a cookie that is present but not an intact seal of ours says "invalid", not "missing"', async ({ api }) => {
    expectInvalidGrant(await api.refresh('garbage'), 'invalid');
    const session = await api.signUp();
    expectInvalidGrant(await api.refresh(tamper(session.cookie)), 'invalid');
  });

  test('a tampered seal: 401 with the cookie cleared, and the real session is untouched', async ({ api, store }) => {
    const session = await api.signUp();
    expectInvalidGrant(await api.refresh(tamper(session.cookie)), ['invalid', 'missing']);
    expect((await store.session(session.claims.sid))?.revoked_at).toBeNull();
    expectTokenResponse(await api.refresh(session.cookie), 200, session.username);
  });

  test('a seal made with another password: 401', async ({ api }) => {
    const session = await api.signUp();
    const token = await unsealCookie(session.cookie);
    const foreign = await sealAsServer({ rt: token }, 'another password that is long enough to be used');
    expectInvalidGrant(await api.refresh(foreign), ['invalid', 'missing']);
  });

  test('a cookie sealed with the string password used before raw keys still refreshes, and comes back re-sealed', async ({
    api,
  }) => {
    const session = await api.signUp();
    const legacy = await sealAsServer({ rt: (await unsealCookie(session.cookie))! }, 'legacy');
    expect(legacy.split('*')[1], 'password id of the old seal').toBe('1');
    const response = await api.refresh(legacy);
    expectTokenResponse(response, 200, session.username);
    expect(response.cookie!.value.split('*')[1], 'password id of the new seal').toBe('2');
  });

  test('an intact seal around a refresh token signed with another key: 401 reason "invalid"', async ({
    api,
    store,
  }) => {
    const session = await api.signUp();
    const claims = decodeJwt((await unsealCookie(session.cookie))!);
    const [header, payload] = (await signRefreshLike(claims)).split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(32, 7).toString('base64url')}`;
    expectInvalidGrant(await api.refresh(await sealAsServer({ rt: forged })), 'invalid');
    expect((await store.session(session.claims.sid))?.generation).toBe(0);
  });

  test('an intact seal around the access token: 401 reason "invalid"', async ({ api }) => {
    const session = await api.signUp();
    expectInvalidGrant(await api.refresh(await sealAsServer({ rt: session.accessToken })), 'invalid');
  });

  test('a validly signed refresh token for a session that does not exist: 401 reason "invalid"', async ({ api }) => {
    const session = await api.signUp();
    const claims = decodeJwt((await unsealCookie(session.cookie))!);
    const orphan = await signRefreshLike({ ...claims, sid: crypto.randomUUID() });
    expectInvalidGrant(await api.refresh(await sealAsServer({ rt: orphan })), 'invalid');
  });

  test('a validly signed refresh token that has expired: 401 reason "expired"', async ({ api }) => {
    const session = await api.signUp();
    const claims = decodeJwt((await unsealCookie(session.cookie))!);
    const now = Math.floor(Date.now() / 1000);
    const expired = await signRefreshLike({ ...claims, iat: now - 3_600, exp: now - 60 });
    expectInvalidGrant(await api.refresh(await sealAsServer({ rt: expired })), 'expired');
  });

  test('the cookie of a logged-out session: 401 reason "revoked", cookie cleared', async ({ api }) => {
    const session = await api.signUp();
    expect((await api.logout(session.cookie)).status).toBe(204);
    expectInvalidGrant(await api.refresh(session.cookie), 'revoked');
  });

  test('only the __Host- cookie is read in production: the same seal under the plain name is "missing"', async ({
    api,
  }) => {
    const session = await api.signUp();
    expectInvalidGrant(await api.post(PATHS.refresh, { headers: { cookie: `refresh=${session.cookie}` } }), 'missing');
  });

  test('the idle timeout is REFRESH_TOKEN_TTL, not REFRESH_TOKEN_TTL + 5 s of clock leeway', async () => {
    test.skip(test.info().project.name !== 'api-sqlite', 'one store is enough');
    const api = new Api(LIFETIMES.url); // REFRESH_TOKEN_TTL=6
    const session = await api.signUp('idle');
    // A sleep, not a poll: time itself is under test (the refusal must come between 6 s and 6 + 5 s), and a refresh
    // made to find out would renew the session.
    await new Promise((resolve) => setTimeout(resolve, 8_500));
    const response = await api.refresh(session.cookie);
    expect(response.status, response.text).toBe(401);
  });
});

test.describe('rotation, grace and reuse', () => {
  test('the previous cookie again within the grace window gets back the same successor, and nothing is revoked', async ({
    api,
    store,
  }) => {
    const session = await api.signUp();
    const first = await api.refresh(session.cookie);
    expectTokenResponse(first, 200);
    const retry = await api.refresh(session.cookie);
    expectTokenResponse(retry, 200);

    expect(await unsealCookie(retry.cookie!.value)).toBe(await unsealCookie(first.cookie!.value));
    const row = await store.session(session.claims.sid);
    expect(row?.generation).toBe(1);
    expect(row?.revoked_at).toBeNull();
    expectTokenResponse(await api.refresh(retry.cookie!.value), 200);
  });

  test('an older ancestor is reuse: 401 "reused", and the whole session is revoked', async ({ api, store }) => {
    const session = await api.signUp();
    const c1 = (await api.refresh(session.cookie)).cookie!.value;
    const second = await api.refresh(c1);
    expectTokenResponse(second, 200);
    const c2 = second.cookie!.value;

    expectInvalidGrant(await api.refresh(session.cookie), 'reused');
    const row = await store.session(session.claims.sid);
    expect(row?.revoked_at).not.toBeNull();
    expect(row?.revoke_reason).toBe('reused');
    // The newest cookie, held by the legitimate client, no longer works either.
    expectInvalidGrant(await api.refresh(c2), 'reused');
  });

  test(`after the ${GRACE_SECONDS} s grace window the previous cookie is reuse and ends the session`, async ({
    api,
    store,
  }) => {
    const session = await api.signUp();
    const first = await api.refresh(session.cookie);
    expectTokenResponse(first, 200);
    const successor = first.cookie!.value;

    // A sleep, not a poll: time itself is under test (the window's length).
    await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1.2) * 1000));
    expectInvalidGrant(await api.refresh(session.cookie), 'reused');
    expectInvalidGrant(await api.refresh(successor), 'reused');
    expect((await store.session(session.claims.sid))?.revoke_reason).toBe('reused');
  });

  test('logout racing a refresh of the same cookie: the session ends revoked, whatever won', async ({ api, store }) => {
    const session = await api.signUp();
    const [logout, refresh] = await Promise.all([api.logout(session.cookie), api.refresh(session.cookie)]);
    expect(logout.status).toBe(204);
    expect([200, 401]).toContain(refresh.status);
    expect((await store.session(session.claims.sid))?.revoke_reason).toBe('signed_out');
    if (refresh.status === 200) expectInvalidGrant(await api.refresh(refresh.cookie!.value), 'revoked');
    else expectInvalidGrant(refresh, 'revoked');
  });

  test('20 parallel refreshes with one cookie: all 200, no 5xx, exactly one successor, one rotation', async ({
    api,
    store,
  }, testInfo) => {
    const session = await api.signUp();
    const fired = 20;
    const settled = await Promise.allSettled(Array.from({ length: fired }, () => api.refresh(session.cookie)));
    const responses = settled
      .filter((r): r is PromiseFulfilledResult<ApiResponse> => r.status === 'fulfilled')
      .map((r) => r.value);
    const ok = responses.filter((r) => r.status === 200);
    const serverErrors = responses.filter((r) => r.status >= 500).length;
    const successors = new Set(await Promise.all(ok.map(async (r) => unsealCookie(r.cookie!.value))));
    const row = await store.session(session.claims.sid);
    const statuses = responses.reduce<Record<number, number>>(
      (count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }),
      {},
    );
    console.log(
      `[race ${testInfo.project.name}] fired=${fired} answered=${responses.length} 200=${ok.length} 5xx=${serverErrors} ` +
        `distinctSuccessors=${successors.size} storeGeneration=${row?.generation} revoked=${row?.revoke_reason ?? 'no'} statuses=${JSON.stringify(statuses)}`,
    );

    expect(responses).toHaveLength(fired);
    expect(serverErrors).toBe(0);
    expect(ok).toHaveLength(fired);
    expect(successors.size).toBe(1);
    expect(row?.generation).toBe(1);
    expect(row?.revoked_at).toBeNull();

    // Every returned cookie is that one successor: the first use rotates it, a second copy is inside the grace window
    // and gets the same next successor, and the session lives on.
    const next = await api.refresh(ok[0]!.cookie!.value);
    expectTokenResponse(next, 200);
    const again = await api.refresh(ok[fired - 1]!.cookie!.value);
    expectTokenResponse(again, 200);
    expect(await unsealCookie(again.cookie!.value)).toBe(await unsealCookie(next.cookie!.value));
    expect((await store.session(session.claims.sid))?.generation).toBe(2);
  });
});

/** A seal with one character of its ciphertext changed. */
function tamper(seal: string): string {
  const parts = seal.split('*');
  const i = 4; // Fe26.2*<rotation>*<salt>*<iv>*<ciphertext>*…
  const body = parts[i]!;
  parts[i] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
  return parts.join('*');
}
