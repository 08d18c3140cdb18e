import { expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import { Api, PATHS, sessionOf, type ApiResponse, type Session } from './api';
import { expectError, expectTokenResponse } from './assertions';
import { FLAGS, SoftPasskey, type Tamper } from './authenticator';
import { test } from './fixtures';
import { PASSWORD, now, uniqueName } from './helpers';
import { signedValueAsServer } from './server-secrets';

/**
 * Passkeys over HTTP, with a software authenticator (e2e/authenticator.ts): creating a passkey-only account, the
 * usernameless sign-in bound to the proof's key with a passkey's amr, adding, renaming and deleting passkeys behind
 * re-authentication — and every refusal on its own, each issuing nothing.
 */

interface Options {
  challenge: string;
  rpId?: string;
  rp?: { id: string };
  user?: { id: string };
  excludeCredentials?: { id: string }[];
  allowCredentials?: { id: string }[];
}

const optionsOf = (response: ApiResponse): Options => {
  expect(response.status, response.text).toBe(200);
  return (response.json as { options: Options }).options;
};

const bearer = (session: Session) => ({ authorization: `Bearer ${session.accessToken}` });

/** Creates an account with a passkey only (through the API) and returns it signed in. */
async function createAccount(
  api: Api,
  { synced = false } = {},
): Promise<{ username: string; passkey: SoftPasskey; session: Session; response: ApiResponse }> {
  const username = uniqueName('pk').toLowerCase();
  const options = optionsOf(await api.post(PATHS.passkeyRegisterOptions, { json: { username } }));
  const passkey = new SoftPasskey(api.proofOrigin, synced);
  const response = await api.post(PATHS.passkeyRegister, { json: { username, credential: passkey.create(options) } });
  expectTokenResponse(response, 201, username);
  return { username, passkey, session: sessionOf(response, { username, password: '' }), response };
}

/** A passkey sign-in: fresh options, then the authenticator's answer (as tampered). */
async function signInWith(api: Api, passkey: SoftPasskey, tamper: Tamper = {}): Promise<ApiResponse> {
  const options = optionsOf(await api.post(PATHS.passkeySignInOptions));
  return api.post(PATHS.passkeySignIn, { json: { credential: passkey.get(options, tamper) } });
}

/** The options of adding a passkey in a session: registration, and re-authentication by the user's passkeys. */
async function addingOptions(api: Api, session: Session): Promise<{ registration: Options; reauth: Options | null }> {
  const response = await api.post(PATHS.passkeyOptions, { headers: bearer(session) });
  expect(response.status, response.text).toBe(200);
  return response.json as { registration: Options; reauth: Options | null };
}

async function listPasskeys(api: Api, session: Session) {
  const response = await api.call('GET', PATHS.passkeys, { headers: bearer(session) });
  expect(response.status, response.text).toBe(200);
  return response.json as {
    passkeys: {
      id: string;
      name: string;
      synced: boolean;
      lastUsedAt: number | null;
      counterRegressedAt: number | null;
    }[];
    hasPassword: boolean;
  };
}

/** Signs up with a password and adds a passkey, re-authenticated by the password. */
async function passwordUserWithPasskey(api: Api): Promise<{ session: Session; passkey: SoftPasskey }> {
  const session = await api.signUp('pkpw');
  const { registration } = await addingOptions(api, session);
  const passkey = new SoftPasskey(api.proofOrigin);
  const added = await api.post(PATHS.passkeys, {
    headers: bearer(session),
    json: { credential: passkey.create(registration), reauth: { password: PASSWORD } },
  });
  expect(added.status, added.text).toBe(201);
  return { session, passkey };
}

test.describe('a passkey-only account', () => {
  test('is created with a passkey: 201, a DPoP-bound token whose amr says hardware key and user verification', async ({
    api,
  }) => {
    const before = now();
    const { session, response } = await createAccount(api);
    expect(session.claims.amr).toEqual(['hwk', 'user']);
    expect(session.claims.auth_time).toBeGreaterThanOrEqual(before);
    expect(session.claims.cnf).toEqual({ jkt: response.jkt });
    expect((await listPasskeys(api, session)).hasPassword).toBe(false);
  });

  test('signs in without a username: tokens bound to the proof key, the DBSC offer, amr and auth_time kept by a refresh', async ({
    api,
  }) => {
    const { username, passkey } = await createAccount(api);
    const signIn = await signInWith(api, passkey);
    const body = expectTokenResponse(signIn, 200, username);
    expect(signIn.headers.get('secure-session-registration')).toBeTruthy();
    const claims = decodeJwt(body.accessToken);
    expect(claims.amr).toEqual(['hwk', 'user']);
    const session = sessionOf(signIn, { username, password: '' });
    const sessions = await api.call('GET', '/api/auth/sessions', { headers: bearer(session) });
    const current = (sessions.json as { sessions: { current: boolean; signedInWith: string }[] }).sessions.find(
      (s) => s.current,
    );
    expect(current?.signedInWith).toBe('passkey');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = await api.refresh(session.cookie);
    const renewed = decodeJwt(expectTokenResponse(refreshed, 200, username).accessToken);
    expect(renewed.iat).toBeGreaterThan(claims.iat!);
    expect(renewed.amr).toEqual(['hwk', 'user']);
    expect(renewed.auth_time).toBe(claims.auth_time);
  });

  test('a synced (backup-eligible) passkey signs in with amr ["swk", "user"]', async ({ api }) => {
    const { passkey, session } = await createAccount(api, { synced: true });
    expect(session.claims.amr).toEqual(['swk', 'user']);
    expect(decodeJwt(expectTokenResponse(await signInWith(api, passkey), 200).accessToken).amr).toEqual([
      'swk',
      'user',
    ]);
    expect((await listPasskeys(api, session)).passkeys[0]?.synced).toBe(true);
  });

  test('a password sign-in to it is refused exactly like a wrong password', async ({ api }) => {
    const { username } = await createAccount(api);
    const passwordless = expectError(await api.login(username, PASSWORD), 401, 'invalid_credentials');
    const stranger = expectError(await api.login(uniqueName('nobody'), PASSWORD), 401, 'invalid_credentials');
    expect(passwordless).toEqual(stranger);
  });

  test('cannot delete its last passkey: 409 last_passkey, and the passkey still signs in', async ({ api }) => {
    const { passkey, session } = await createAccount(api);
    const { reauth } = await addingOptions(api, session);
    const response = await api.call('DELETE', `${PATHS.passkeys}/${passkey.id}`, {
      headers: bearer(session),
      json: { reauth: { passkey: passkey.get(reauth!) } },
    });
    expect(expectError(response, 409, 'last_passkey').message).toMatch(/no password/);
    expectTokenResponse(await signInWith(api, passkey), 200);
  });

  test('a taken username is 409 at the options already, and at the finish when taken in between', async ({ api }) => {
    const taken = (await api.signUp('pktaken')).username;
    expectError(await api.post(PATHS.passkeyRegisterOptions, { json: { username: taken } }), 409, 'username_taken');
    const username = uniqueName('pkrace').toLowerCase();
    const options = optionsOf(await api.post(PATHS.passkeyRegisterOptions, { json: { username } }));
    expect((await api.register(username, PASSWORD)).status).toBe(201);
    const credential = new SoftPasskey(api.proofOrigin).create(options);
    expectError(await api.post(PATHS.passkeyRegister, { json: { username, credential } }), 409, 'username_taken');
  });

  test('the challenge of one username does not create another', async ({ api }) => {
    const options = optionsOf(
      await api.post(PATHS.passkeyRegisterOptions, { json: { username: uniqueName('pka').toLowerCase() } }),
    );
    const credential = new SoftPasskey(api.proofOrigin).create(options);
    const response = await api.post(PATHS.passkeyRegister, {
      json: { username: uniqueName('pkb').toLowerCase(), credential },
    });
    expectError(response, 400, 'invalid_challenge');
  });
});

test.describe('passkey sign-in refusals, each on its own: nothing issued', () => {
  let account: { passkey: SoftPasskey; username: string };
  test.beforeEach(async ({ api }) => {
    account = await createAccount(api);
  });

  const refusals: [string, Tamper][] = [
    ['an assertion made for another origin', { origin: 'https://login.example.com' }],
    ['an assertion for another rpId', { rpId: 'example.com' }],
    ['an assertion without user verification (UV flag)', { flags: FLAGS.UP }],
    ['an assertion without user presence (UP flag)', { flags: FLAGS.UV }],
    ['a bad signature', { wrongKey: true }],
    ['a registration answer instead of an assertion (client data type)', { type: 'webauthn.create' }],
  ];
  for (const [name, tamper] of refusals) {
    test(`${name}: 401 invalid_credentials`, async ({ api }) => {
      expectError(await signInWith(api, account.passkey, tamper), 401, 'invalid_credentials');
      // The passkey itself still works: the refusal cost one attempt, nothing else.
      expectTokenResponse(await signInWith(api, account.passkey), 200, account.username);
    });
  }

  test('an unknown credential id answers exactly as a bad signature', async ({ api }) => {
    const unknown = expectError(await signInWith(api, new SoftPasskey(api.proofOrigin)), 401, 'invalid_credentials');
    const badSignature = expectError(
      await signInWith(api, account.passkey, { wrongKey: true }),
      401,
      'invalid_credentials',
    );
    expect(unknown).toEqual(badSignature);
  });

  test('a replayed assertion is refused: 400 invalid_challenge', async ({ api }) => {
    const options = optionsOf(await api.post(PATHS.passkeySignInOptions));
    const credential = account.passkey.get(options);
    expectTokenResponse(await api.post(PATHS.passkeySignIn, { json: { credential } }), 200);
    expectError(await api.post(PATHS.passkeySignIn, { json: { credential } }), 400, 'invalid_challenge');
  });

  test('an expired, a foreign and a made-up challenge: 400 invalid_challenge', async ({ api }) => {
    const asChallenge = (value: string) => Buffer.from(value).toString('base64url');
    const expired = await signedValueAsServer('webauthn-challenge', {
      subject: 'sign-in:',
      payload: 'AAAA',
      expiresAt: now() - 1,
    });
    const otherCeremony = await signedValueAsServer('webauthn-challenge', {
      subject: 'reauth:someone',
      payload: 'BBBB',
      expiresAt: now() + 60,
    });
    for (const challenge of [
      asChallenge(expired),
      asChallenge(otherCeremony),
      asChallenge('made-up'),
      'not base64url!',
    ]) {
      const response = await api.post(PATHS.passkeySignIn, {
        json: { credential: account.passkey.get({ challenge }) },
      });
      expectError(response, 400, 'invalid_challenge');
    }
  });

  test('a signature counter that goes backwards is refused and shown on the Sessions page', async ({ api }) => {
    expectTokenResponse(await signInWith(api, account.passkey, { counter: 5 }), 200);
    expectError(await signInWith(api, account.passkey, { counter: 3 }), 401, 'invalid_credentials');
    expectError(await signInWith(api, account.passkey, { counter: 5 }), 401, 'invalid_credentials');
    const accepted = await signInWith(api, account.passkey, { counter: 6 });
    expectTokenResponse(accepted, 200);
    const session = sessionOf(accepted, { username: account.username, password: '' });
    const [passkey] = (await listPasskeys(api, session)).passkeys;
    expect(passkey?.counterRegressedAt).toEqual(expect.any(Number));
  });

  test('without a DPoP proof: 400 invalid_dpop_proof, and the challenge is not spent', async ({ api }) => {
    const options = optionsOf(await api.post(PATHS.passkeySignInOptions));
    const credential = account.passkey.get(options);
    expectError(await api.post(PATHS.passkeySignIn, { json: { credential }, dpop: false }), 400, 'invalid_dpop_proof');
    expectTokenResponse(await api.post(PATHS.passkeySignIn, { json: { credential } }), 200);
  });

  test('bad input: malformed JSON, wrong types, a missing assertion, an oversized body — 4xx, never 500', async ({
    api,
  }) => {
    const post = (options: Parameters<Api['post']>[1]) => api.post(PATHS.passkeySignIn, options);
    expectError(
      await post({ body: '{"credential":', headers: { 'content-type': 'application/json' } }),
      400,
      'invalid_request',
    );
    expectError(await post({ json: {} }), 400, 'invalid_request');
    expectError(await post({ json: { credential: 'x' } }), 400, 'invalid_request');
    expectError(
      await post({ json: { credential: { id: 1, type: 'public-key', response: {} } } }),
      400,
      'invalid_request',
    );
    expectError(
      await post({
        json: {
          credential: {
            id: 'abc',
            rawId: 'abc',
            type: 'public-key',
            response: { clientDataJSON: 'e30', authenticatorData: '!', signature: '' },
          },
        },
      }),
      400,
      'invalid_request',
    );
    expectError(await post({ json: { credential: { id: 'a'.repeat(20_000) } } }), 413, 'payload_too_large');
    expectError(
      await post({ body: 'credential=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
    // Well-formed JSON whose client data is not JSON at all.
    const garbage = {
      id: 'abc',
      rawId: 'abc',
      type: 'public-key',
      response: { clientDataJSON: 'bm90IGpzb24', authenticatorData: 'AAAA', signature: 'AAAA' },
    };
    expectError(await post({ json: { credential: garbage } }), 400, 'invalid_challenge');
  });

  test('is throttled per credential: after 10 failures even the right assertion is 429, other passkeys are not', async ({
    api,
  }) => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expectError(await signInWith(api, account.passkey, { wrongKey: true }), 401, 'invalid_credentials');
    }
    const blocked = expectError(await signInWith(api, account.passkey), 429, 'rate_limited');
    expect(blocked.retryAfter).toBeGreaterThan(0);
    const other = await createAccount(api);
    expectTokenResponse(await signInWith(api, other.passkey), 200);
  });
});

test.describe('managing passkeys on the Sessions page', () => {
  test('a password user adds a passkey (re-authenticated by the password), signs in with it, renames and deletes it', async ({
    api,
  }) => {
    const { session, passkey } = await passwordUserWithPasskey(api);
    const listed = await listPasskeys(api, session);
    expect(listed.hasPassword).toBe(true);
    expect(listed.passkeys).toEqual([
      expect.objectContaining({ id: passkey.id, name: 'Node.js', lastUsedAt: null, counterRegressedAt: null }),
    ]);

    const signIn = expectTokenResponse(await signInWith(api, passkey), 200, session.username);
    expect(decodeJwt(signIn.accessToken).sub).toBe(session.claims.sub);

    const renamed = await api.call('PATCH', `${PATHS.passkeys}/${passkey.id}`, {
      headers: bearer(session),
      json: { name: 'Work laptop' },
    });
    expect(renamed.status, renamed.text).toBe(204);
    expect((await listPasskeys(api, session)).passkeys[0]).toMatchObject({
      name: 'Work laptop',
      lastUsedAt: expect.any(Number),
    });

    const { reauth, registration } = await addingOptions(api, session);
    expect(registration.excludeCredentials?.map((c) => c.id)).toEqual([passkey.id]);
    expect(reauth?.allowCredentials?.map((c) => c.id)).toEqual([passkey.id]);
    const deleted = await api.call('DELETE', `${PATHS.passkeys}/${passkey.id}`, {
      headers: bearer(session),
      json: { reauth: { passkey: passkey.get(reauth!) } },
    });
    expect(deleted.status, deleted.text).toBe(204);
    expect((await listPasskeys(api, session)).passkeys).toEqual([]);
    expectError(await signInWith(api, passkey), 401, 'invalid_credentials');
  });

  test('a re-authentication sent along must be right: a wrong password is 401 and adds nothing; none at all falls to the recent sign-in', async ({
    api,
  }) => {
    const session = await api.signUp('pkwrong');
    const { registration } = await addingOptions(api, session);
    const credential = new SoftPasskey(api.proofOrigin).create(registration);
    const response = await api.post(PATHS.passkeys, {
      headers: bearer(session),
      json: { credential, reauth: { password: 'not the password' } },
    });
    expectError(response, 401, 'invalid_credentials');
    expect((await listPasskeys(api, session)).passkeys).toEqual([]);
    // This sign-in is seconds old: step-up lets the change through without asking again (e2e/step-up.api.spec.ts
    // shows the refusal of an old one).
    const added = await api.post(PATHS.passkeys, { headers: bearer(session), json: { credential } });
    expect(added.status, added.text).toBe(201);
    expect((await listPasskeys(api, session)).passkeys).toHaveLength(1);
  });

  const registrationRefusals: [string, Tamper, string][] = [
    ['made for another origin', { origin: 'https://login.example.com' }, 'invalid_passkey'],
    ['for another rpId', { rpId: 'example.com' }, 'invalid_passkey'],
    ['without user verification', { flags: FLAGS.UP | FLAGS.AT }, 'invalid_passkey'],
  ];
  for (const [name, tamper, code] of registrationRefusals) {
    test(`a registration ${name}: 400 ${code}, nothing stored`, async ({ api }) => {
      const session = await api.signUp('pkreg');
      const { registration } = await addingOptions(api, session);
      const credential = new SoftPasskey(api.proofOrigin).create(registration, tamper);
      expectError(
        await api.post(PATHS.passkeys, {
          headers: bearer(session),
          json: { credential, reauth: { password: PASSWORD } },
        }),
        400,
        code,
      );
      expect((await listPasskeys(api, session)).passkeys).toEqual([]);
    });
  }

  test('a registration challenge is bound to its session and used once', async ({ api }) => {
    const session = await api.signUp('pkbind');
    const thiefApi = new Api(api.baseURL);
    const thief = await thiefApi.signUp('pkthief');
    const { registration } = await addingOptions(api, session);
    const credential = new SoftPasskey(api.proofOrigin).create(registration);
    const stolen = await thiefApi.post(PATHS.passkeys, {
      headers: bearer(thief),
      json: { credential, reauth: { password: PASSWORD } },
    });
    expectError(stolen, 400, 'invalid_challenge');
    const add = () =>
      api.post(PATHS.passkeys, { headers: bearer(session), json: { credential, reauth: { password: PASSWORD } } });
    expect((await add()).status).toBe(201);
    expectError(await add(), 400, 'invalid_challenge');
  });

  test("one user's passkey: another user can neither delete nor rename it (404), nor re-authenticate with it", async ({
    api,
  }) => {
    const owner = await passwordUserWithPasskey(api);
    const strangerApi = new Api(api.baseURL);
    const stranger = await passwordUserWithPasskey(strangerApi);
    const path = `${PATHS.passkeys}/${owner.passkey.id}`;
    const del = await strangerApi.call('DELETE', path, {
      headers: bearer(stranger.session),
      json: { reauth: { password: PASSWORD } },
    });
    expectError(del, 404, 'not_found');
    expectError(
      await strangerApi.call('PATCH', path, { headers: bearer(stranger.session), json: { name: 'mine now' } }),
      404,
      'not_found',
    );
    const { reauth } = await addingOptions(strangerApi, stranger.session);
    const withOwners = await strangerApi.call('DELETE', `${PATHS.passkeys}/${stranger.passkey.id}`, {
      headers: bearer(stranger.session),
      json: { reauth: { passkey: owner.passkey.get(reauth!) } },
    });
    expectError(withOwners, 401, 'invalid_credentials');
    expect((await listPasskeys(api, owner.session)).passkeys.map((p) => p.id)).toEqual([owner.passkey.id]);
    expect((await listPasskeys(strangerApi, stranger.session)).passkeys.map((p) => p.id)).toEqual([
      stranger.passkey.id,
    ]);
  });

  test('one credential belongs to one user: registering it again, to anyone, is 400 invalid_passkey', async ({
    api,
  }) => {
    const { passkey } = await passwordUserWithPasskey(api);
    const otherApi = new Api(api.baseURL);
    const other = await otherApi.signUp('pkdup');
    const { registration } = await addingOptions(otherApi, other);
    const response = await otherApi.post(PATHS.passkeys, {
      headers: bearer(other),
      json: { credential: passkey.create(registration), reauth: { password: PASSWORD } },
    });
    expectError(response, 400, 'invalid_passkey');
  });
});
