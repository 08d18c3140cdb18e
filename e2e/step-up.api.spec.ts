import { expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import { Api, PATHS, sessionOf, type ApiResponse, type ErrorBody, type Session, type TokenBody } from './api';
import { expectError, expectInvalidGrant, expectNoStore, expectTokenResponse } from './assertions';
import { SoftPasskey } from './authenticator';
import { test } from './fixtures';
import { newProofKey } from './proofs';
import { PASSWORD, now } from './helpers';
import type { Store } from './store';

/**
 * Step-up authentication (RFC 9470) over HTTP: the sensitive changes need a sign-in within STEP_UP_MAX_AGE (300 s on
 * the servers under test), refused past it with the exact challenge; POST /api/auth/reauth renews auth_time for the
 * same session; a refresh keeps auth_time. An old sign-in is made by moving the session's stored auth_time back
 * (Store.ageSignIn) and refreshing: the tokens then say what a session signed in long ago would.
 */

const MAX_AGE = 300;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs up, then makes the session's sign-in `seconds` old; returns it with a token that says so. */
async function oldSignIn(api: Api, store: Store, seconds = MAX_AGE + 60): Promise<Session> {
  const session = await api.signUp('stepup');
  await store.ageSignIn(session.claims.sid, seconds);
  const refreshed = await api.refresh(session.cookie);
  return sessionOf(refreshed, session);
}

function expectStepUpChallenge(response: ApiResponse, api: Api): void {
  const body = expectError(response, 401, 'insufficient_user_authentication') as ErrorBody & { maxAge?: number };
  expect(body.maxAge).toBe(MAX_AGE);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge.startsWith(api.dpop ? 'DPoP algs="ES256", ' : 'Bearer ')).toBe(true);
  expect(challenge).toContain('error="insufficient_user_authentication"');
  expect(challenge).toMatch(/error_description="[^"]+"/);
  expect(challenge).toMatch(/, max_age=300$/);
}

/** A re-authentication's answer: the login body's shape, bound to the proof's key, and no new refresh cookie. */
function expectReauthBody(response: ApiResponse, username: string): TokenBody {
  expect(response.status, response.text).toBe(200);
  expectNoStore(response);
  const body = response.json as TokenBody;
  expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshExpiresIn', 'tokenType', 'user']);
  expect(body.tokenType).toBe(response.dpop ? 'DPoP' : 'Bearer');
  expect(body.user.username).toBe(username);
  if (response.dpop) expect(decodeJwt(body.accessToken).cnf).toEqual({ jkt: response.jkt });
  expect(response.cookie, 'nothing rotates: no Set-Cookie for the refresh cookie').toBeNull();
  return body;
}

const reauth = (api: Api, cookie: string | undefined, json: unknown, headers?: Record<string, string>) =>
  api.post(PATHS.reauth, { cookie, json, headers });

test.describe('step-up: sensitive changes need a recent sign-in', () => {
  test('a fresh sign-in may change the password and sign out other sessions at once', async ({ api }) => {
    const session = await api.signUp('stepup');
    expect(now() - (session.claims.auth_time as number)).toBeLessThan(10);
    const other = await new Api(api.baseURL).login(session.username, PASSWORD);
    expect(other.status).toBe(200);
    const signedOut = await api.call('DELETE', `${PATHS.sessions}?except=current`, {
      headers: auth(session.accessToken),
    });
    expect(signedOut.status, signedOut.text).toBe(204);
    const changed = await api.post(PATHS.password, {
      headers: auth(session.accessToken),
      json: { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` },
    });
    expect(changed.status, changed.text).toBe(204);
  });

  test('a refresh keeps auth_time: it is no authentication', async ({ api, store }) => {
    const session = await api.signUp('stepup');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = decodeJwt(expectTokenResponse(await api.refresh(session.cookie), 200).accessToken);
    expect(refreshed.iat).toBeGreaterThan(session.claims.iat!);
    expect(refreshed.auth_time).toBe(session.claims.auth_time);
    const aged = await oldSignIn(api, store);
    expect(aged.claims.auth_time).toBe((await store.session(aged.claims.sid))?.auth_time);
    expect(now() - (aged.claims.auth_time as number)).toBeGreaterThan(MAX_AGE);
  });

  test('past STEP_UP_MAX_AGE every sensitive change is 401 insufficient_user_authentication, max_age=300, and changes nothing', async ({
    api,
    store,
  }) => {
    const session = await oldSignIn(api, store);
    const otherApi = new Api(api.baseURL);
    const other = sessionOf(await otherApi.login(session.username, PASSWORD), session);
    const headers = auth(session.accessToken);
    const refused: [string, ApiResponse][] = [
      [
        'password',
        await api.post(PATHS.password, {
          headers,
          json: { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` },
        }),
      ],
      ['sign out everywhere', await api.call('DELETE', PATHS.sessions, { headers })],
      ['sign out everywhere else', await api.call('DELETE', `${PATHS.sessions}?except=current`, { headers })],
      ['revoke another session', await api.call('DELETE', `${PATHS.sessions}/${other.claims.sid}`, { headers })],
      ['delete a passkey', await api.call('DELETE', `${PATHS.passkeys}/some-id`, { headers, json: {} })],
    ];
    const options = await api.post(PATHS.passkeyOptions, { headers });
    expect(options.status, options.text).toBe(200);
    const { registration } = options.json as { registration: Parameters<SoftPasskey['create']>[0] };
    const credential = new SoftPasskey(api.proofOrigin).create(registration);
    refused.push(['add a passkey', await api.post(PATHS.passkeys, { headers, json: { credential } })]);
    for (const [label, response] of refused) {
      await test.step(label, () => expectStepUpChallenge(response, api));
    }
    // Nothing changed: the other session lives, the old password still signs in, no passkey was added.
    expect((await otherApi.me(`Bearer ${other.accessToken}`)).status).toBe(200);
    expect((await store.session(other.claims.sid))?.revoked_at).toBeNull();
    expect((await new Api(api.baseURL).login(session.username, PASSWORD)).status).toBe(200);
    const listed = await api.call('GET', PATHS.passkeys, { headers });
    expect((listed.json as { passkeys: unknown[] }).passkeys).toEqual([]);
    // What is not sensitive still works with the old sign-in, and so does signing out this very session.
    expect((await api.me(`Bearer ${session.accessToken}`)).status).toBe(200);
    expect((await api.call('GET', PATHS.sessions, { headers })).status).toBe(200);
    const own = await api.call('DELETE', `${PATHS.sessions}/${session.claims.sid}`, { headers });
    expect(own.status, own.text).toBe(204);
  });

  test('reauth with the password: 200, the login body, the same session and key with a fresh auth_time; nothing rotates', async ({
    api,
    store,
  }) => {
    const session = await oldSignIn(api, store);
    const before = await store.session(session.claims.sid);
    const response = await reauth(api, session.cookie, { password: PASSWORD });
    const body = expectReauthBody(response, session.username);
    const claims = decodeJwt(body.accessToken);
    expect(claims.sid).toBe(session.claims.sid);
    expect(claims.cnf).toEqual(session.claims.cnf);
    expect(claims.amr).toEqual(['pwd']);
    expect(now() - (claims.auth_time as number)).toBeLessThan(10);
    const after = await store.session(session.claims.sid);
    expect(after?.current_jti).toBe(before?.current_jti);
    expect(after?.generation).toBe(before?.generation);

    const changed = await api.post(PATHS.password, {
      headers: auth(body.accessToken),
      json: { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` },
    });
    expect(changed.status, changed.text).toBe(204);
    // The old cookie still refreshes (nothing rotated), and its tokens carry the new auth_time.
    const refreshed = decodeJwt(expectTokenResponse(await api.refresh(session.cookie), 200).accessToken);
    expect(refreshed.auth_time).toBe(claims.auth_time);
  });

  test('reauth may bring the session’s own access token; another session’s is 401 invalid_token', async ({
    api,
    store,
  }) => {
    const session = await oldSignIn(api, store);
    const own = await reauth(api, session.cookie, { password: PASSWORD }, auth(session.accessToken));
    expectReauthBody(own, session.username);
    const other = await api.signUp('stepup');
    const foreign = await reauth(api, session.cookie, { password: PASSWORD }, auth(other.accessToken));
    expectError(foreign, 401, 'invalid_token');
  });

  test('reauth refusals: wrong password 401 and counted to 429, no cookie, another key, a stale proof, cross-site, bad body', async ({
    api,
    store,
  }) => {
    const session = await oldSignIn(api, store);
    expectInvalidGrant(await reauth(api, undefined, { password: PASSWORD }), 'missing');
    expectError(await reauth(api, session.cookie, { pass: PASSWORD }), 400, 'invalid_request');
    expectError(
      await reauth(api, session.cookie, { password: PASSWORD }, { origin: 'https://evil.example' }),
      403,
      'forbidden',
    );
    if (api.dpop) {
      const stale = await api.post(PATHS.reauth, {
        cookie: session.cookie,
        json: { password: PASSWORD },
        dpop: { iat: now() - 3600 },
      });
      expectError(stale, 400, 'invalid_dpop_proof');
      const thief = await api.post(PATHS.reauth, {
        cookie: session.cookie,
        json: { password: PASSWORD },
        dpop: { key: await newProofKey() },
      });
      expectInvalidGrant(thief, 'wrong_key');
      // A thief's attempt leaves the session running.
      expect((await store.session(session.claims.sid))?.revoked_at).toBeNull();
    }
    for (let attempt = 0; attempt < 10; attempt++) {
      expectError(await reauth(api, session.cookie, { password: 'not the password' }), 401, 'invalid_credentials');
    }
    // Blocked from the 11th attempt on, the right password included. (The first block lasts 1 s: on a loaded machine
    // it may end before the next request arrives, and let one more guess through, so the next few are tried.)
    let blocked: ApiResponse | undefined;
    for (let attempt = 0; attempt < 3 && !blocked; attempt++) {
      const response = await reauth(api, session.cookie, { password: PASSWORD });
      if (response.status === 429) blocked = response;
      else expectError(response, 401, 'invalid_credentials');
    }
    expectError(blocked!, 429, 'rate_limited');
    expect(Number(blocked!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Still the old sign-in: nothing was granted.
    expect((await store.session(session.claims.sid))?.auth_time).toBe(session.claims.auth_time);
  });

  test('reauth of a revoked session is 401 invalid_grant revoked, the cookie cleared', async ({ api }) => {
    const session = await api.signUp('stepup');
    expect((await api.logout(session.cookie)).status).toBe(204);
    expectInvalidGrant(await reauth(api, session.cookie, { password: PASSWORD }), 'revoked');
  });
});

test.describe('step-up with a passkey', () => {
  test('the options name the user’s passkeys; the assertion re-authenticates with the passkey’s amr; another session’s challenge is refused', async ({
    api,
    store,
  }) => {
    const session = await api.signUp('stepup');
    const headers = auth(session.accessToken);
    const { registration } = (await api.post(PATHS.passkeyOptions, { headers })).json as {
      registration: Parameters<SoftPasskey['create']>[0];
    };
    const passkey = new SoftPasskey(api.proofOrigin);
    const added = await api.post(PATHS.passkeys, { headers, json: { credential: passkey.create(registration) } });
    expect(added.status, added.text).toBe(201);
    await store.ageSignIn(session.claims.sid, MAX_AGE + 60);

    const optionsResponse = await api.post(PATHS.reauthOptions, { cookie: session.cookie });
    expect(optionsResponse.status, optionsResponse.text).toBe(200);
    const options = optionsResponse.json as {
      password: boolean;
      passkey: Parameters<SoftPasskey['get']>[0] & { allowCredentials: { id: string }[] };
    };
    expect(options.password).toBe(true);
    expect(options.passkey.allowCredentials.map((c) => c.id)).toEqual([passkey.id]);

    // A challenge made for another session of the same user does not re-authenticate this one.
    const otherApi = new Api(api.baseURL);
    const other = sessionOf(await otherApi.login(session.username, PASSWORD), session);
    const foreignOptions = (await otherApi.post(PATHS.reauthOptions, { cookie: other.cookie })).json as {
      passkey: Parameters<SoftPasskey['get']>[0];
    };
    const misplaced = await reauth(api, session.cookie, { credential: passkey.get(foreignOptions.passkey) });
    expectError(misplaced, 400, 'invalid_challenge');

    const response = await reauth(api, session.cookie, { credential: passkey.get(options.passkey) });
    const claims = decodeJwt(expectReauthBody(response, session.username).accessToken);
    expect(claims.sid).toBe(session.claims.sid);
    expect(claims.amr).toEqual(['hwk', 'user']);
    expect(now() - (claims.auth_time as number)).toBeLessThan(10);
  });
});
