import { expect } from '@playwright/test';
import { Api, PATHS, sessionOf, type ApiResponse, type Session } from './api';
import { expectError, expectInvalidGrant, expectTokenResponse } from './assertions';
import { test } from './fixtures';
import { POSTGRES, POSTGRES_B, REVOCATION_PG, REVOCATION_SQLITE } from './servers';

// Revoked means revoked: a revoked session's access tokens are refused on the instance that revoked it from the next
// request, and on every other instance within REVOCATION_POLL_MS (500 ms), on /api/me too, which reads no session row.

const SESSIONS = '/api/auth/sessions';
/** How long a revocation may take to reach another instance: the promise. */
const WITHIN_MS = 1_000;

const bearer = (session: Session) => `DPoP ${session.accessToken}`;

/** Another sign-in of the same account, from another device (its own DPoP key). */
async function signInElsewhere(baseURL: string, session: Session): Promise<{ api: Api; session: Session }> {
  const api = new Api(baseURL);
  const response = await api.login(session.username, session.password);
  expectTokenResponse(response, 200, session.username);
  return { api, session: sessionOf(response, session) };
}

/** A revoked session's token, refused as the guard refuses any token it will not take: the client then refreshes. */
function expectRevokedToken(response: ApiResponse): void {
  expectError(response, 401, 'invalid_token');
  expect(response.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
}

const succeeded = (response: ApiResponse) => expect(response.status, response.text).toBe(204);

async function expectAccepted(api: Api, session: Session): Promise<void> {
  const response = await api.me(bearer(session));
  expect(response.status, response.text).toBe(200);
}

test.describe('a revoked session, on the instance that revoked it', () => {
  // Every way a session ends that is not its token's own expiry. Each ends `victim`'s session (and checks that it
  // did); `other` is another session of the same account, which must keep working.
  const ways: {
    name: string;
    reason: string;
    end: (victim: { api: Api; session: Session }, other: { api: Api; session: Session }) => Promise<void>;
  }[] = [
    {
      name: 'sign-out',
      reason: 'revoked',
      end: async ({ api, session }) => succeeded(await api.logout(session.cookie)),
    },
    {
      name: 'revoked from the Sessions page of another device',
      reason: 'revoked',
      end: async ({ session }, other) =>
        succeeded(
          await other.api.call('DELETE', `${SESSIONS}/${session.claims.sid}`, {
            headers: { authorization: bearer(other.session) },
          }),
        ),
    },
    {
      name: 'signed out everywhere else, from another device',
      reason: 'revoked',
      end: async (_, other) =>
        succeeded(
          await other.api.call('DELETE', `${SESSIONS}?except=current`, {
            headers: { authorization: bearer(other.session) },
          }),
        ),
    },
    {
      name: 'a password change on another device',
      reason: 'revoked',
      end: async ({ session }, other) =>
        succeeded(
          await other.api.post('/api/auth/password', {
            json: { currentPassword: session.password, newPassword: 'a brand new password' },
            headers: { authorization: bearer(other.session) },
          }),
        ),
    },
    {
      name: 'reuse detection',
      reason: 'reused',
      end: async ({ api, session }) => {
        const first = await api.refresh(session.cookie);
        expectTokenResponse(first, 200);
        expectTokenResponse(await api.refresh(first.cookie!.value), 200);
        // Neither the current refresh token nor its predecessor: a replay, which ends the whole session.
        expectInvalidGrant(await api.refresh(session.cookie), 'reused');
      },
    },
  ];

  for (const way of ways) {
    test(`${way.name}: its still-unexpired access token is refused on the next request; the refresh says why`, async ({
      api,
      baseURL,
    }) => {
      const victim = { api, session: await api.signUp('revoked') };
      const other = await signInElsewhere(baseURL!, victim.session);
      await expectAccepted(api, victim.session);

      await way.end(victim, other);

      expectRevokedToken(await api.me(bearer(victim.session)));
      // What the client does on invalid_token: one refresh, which says the session was ended.
      expectInvalidGrant(await api.refresh(victim.session.cookie), way.reason);
      await expectAccepted(other.api, other.session);
    });
  }

  test('signing out everywhere refuses every token of the account at once, the caller’s own included', async ({
    api,
    baseURL,
  }) => {
    const session = await api.signUp('everywhere');
    const other = await signInElsewhere(baseURL!, session);
    const ended = await api.call('DELETE', SESSIONS, { headers: { authorization: bearer(session) } });
    expect(ended.status, ended.text).toBe(204);
    expectRevokedToken(await api.me(bearer(session)));
    expectRevokedToken(await other.api.me(bearer(other.session)));
  });
});

test.describe('a revoked session, across two instances on one Postgres', () => {
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'api-postgres', 'needs the two Postgres instances');
  });

  test(`revoked on A: refused on A at once and on B within ${WITHIN_MS} ms; the user's other session works on both`, async () => {
    const a = new Api(POSTGRES!.url);
    const b = new Api(POSTGRES_B!.url, await a.key());
    expectError(await b.post(PATHS.refresh), 400, 'use_dpop_nonce');
    const session = await a.signUp('instances');
    const other = await signInElsewhere(POSTGRES!.url, session);
    const otherOnB = new Api(POSTGRES_B!.url, await other.api.key());
    expectError(await otherOnB.post(PATHS.refresh), 400, 'use_dpop_nonce');
    await expectAccepted(b, session);

    const revoked = await other.api.call('DELETE', `${SESSIONS}/${session.claims.sid}`, {
      headers: { authorization: bearer(other.session) },
    });
    expect(revoked.status, revoked.text).toBe(204);
    const revokedAt = Date.now();

    expectRevokedToken(await a.me(bearer(session)));
    let onB = await b.me(bearer(session));
    while (onB.status === 200 && Date.now() - revokedAt < 2 * WITHIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      onB = await b.me(bearer(session));
    }
    const elapsed = Date.now() - revokedAt;
    expectRevokedToken(onB);
    expect(elapsed, 'refused on B within a second of the revocation').toBeLessThan(WITHIN_MS);
    expectInvalidGrant(await b.refresh(session.cookie), 'revoked');
    await expectAccepted(other.api, other.session);
    await expectAccepted(otherOnB, other.session);
  });
});

test.describe('the revoked sessions each instance holds', () => {
  /** The revocation suite's own servers for this project: the SQLite one, or the two instances on one Postgres. */
  const instances = () => (test.info().project.name === 'api-postgres' ? REVOCATION_PG : [REVOCATION_SQLITE]);

  test.beforeEach(() => {
    test.skip(instances().length === 0, 'needs TEST_REVOCATION_DATABASE_URL (scripts/with-postgres.sh sets it)');
  });

  const revokedSessions = async (api: Api) => {
    const response = await api.call('GET', '/api/health');
    expect(response.status, response.text).toBe(200);
    return (response.json as { revokedSessions: number }).revokedSessions;
  };

  test('a revocation is held only while its tokens could be valid: the count goes back to zero', async () => {
    const [first, second = first] = instances().map((server) => new Api(server.url));
    const apis = first === second ? [first!] : [first!, second!];
    const session = await first!.signUp('forgotten');
    const other = await signInElsewhere(first!.baseURL, session);
    for (const api of apis) expect(await revokedSessions(api)).toBe(0);

    expect((await first!.logout(session.cookie)).status).toBe(204);
    const onSecond = new Api(second!.baseURL, await first!.key());
    await expect.poll(async () => (await onSecond.me(bearer(session))).status, { timeout: WITHIN_MS }).toBe(401);
    expectRevokedToken(await first!.me(bearer(session)));
    for (const api of apis) expect(await revokedSessions(api)).toBe(1);
    await expectAccepted(other.api, other.session);

    // ACCESS_TOKEN_TTL 2 s, plus twice the 5 s leeway: within 12 s of the revocation no token of it verifies any more.
    for (const api of apis) await expect.poll(() => revokedSessions(api), { timeout: 20_000 }).toBe(0);
    expectError(await first!.me(bearer(session)), 401, 'token_expired');
  });
});
