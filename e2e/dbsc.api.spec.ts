import { expect } from '@playwright/test';
import { SignJWT } from 'jose';
import { Api, parseSetCookie, PATHS, REFRESH_COOKIE, sessionOf, type ApiResponse } from './api';
import { test } from './fixtures';
import { PASSWORD, uniqueName } from './helpers';
import { newProofKey, type ProofKey } from './proofs';
import { BEARER } from './servers';

/**
 * DBSC over HTTP, the browser's part played by hand (the real browser's is in device-bound.dbsc.spec.ts): the offer at
 * sign-in, registration, the 403 challenge and the proved refresh, and what a device-bound session then asks of a
 * refresh. DBSC=off (the BEARER server) offers nothing and has no endpoints.
 */

const DBSC = { register: '/api/auth/dbsc/register', refresh: '/api/auth/dbsc/refresh' };
const BOUND = '__Host-bound';

/** A DBSC proof as Chrome sends it: a quoted JWS, typ dbsc+jwt, jti = the challenge; the key in the header at registration. */
async function dbscProof(device: ProofKey, challenge: string, withKey: boolean): Promise<string> {
  const header = { alg: 'ES256', typ: 'dbsc+jwt', ...(withKey ? { jwk: device.jwk } : {}) };
  return `"${await new SignJWT({ jti: challenge }).setProtectedHeader(header).sign(device.privateKey)}"`;
}

const setCookie = (response: ApiResponse, name: string) =>
  response.headers
    .getSetCookie()
    .map(parseSetCookie)
    .find((cookie) => cookie.name === name) ?? null;

const cookies = (refresh: string, bound?: string) =>
  `${REFRESH_COOKIE}=${refresh}${bound ? `; ${BOUND}=${bound}` : ''}`;

/** Signs up; returns the session, the registration challenge the answer offered, and the answer's header. */
async function signUpOffered(api: Api) {
  const username = uniqueName('dbsc').toLowerCase();
  const response = await api.register(username, PASSWORD);
  expect(response.status, response.text).toBe(201);
  const offer = response.headers.get('secure-session-registration') ?? '';
  return {
    session: sessionOf(response, { username, password: PASSWORD }),
    offer,
    challenge: /challenge="([^"]+)"/.exec(offer)?.[1] ?? '',
  };
}

test.describe('DBSC over HTTP', () => {
  test('sign-in offers registration: ES256, the registration path, a challenge', async ({ api }) => {
    const { offer } = await signUpOffered(api);
    expect(offer).toMatch(/^\(ES256\);path="\/api\/auth\/dbsc\/register";challenge="[^"]+"$/);
  });

  test('registration binds the session; its refresh then needs the bound cookie, which a proved DBSC refresh renews', async ({
    api,
  }) => {
    const { session, challenge } = await signUpOffered(api);
    const device = await newProofKey();

    const registered = await api.post(DBSC.register, {
      headers: { cookie: cookies(session.cookie), 'secure-session-response': await dbscProof(device, challenge, true) },
    });
    expect(registered.status, registered.text).toBe(200);
    expect(registered.json).toMatchObject({
      session_identifier: session.claims.sid,
      refresh_url: DBSC.refresh,
      scope: { include_site: false },
      credentials: [{ type: 'cookie', name: BOUND, attributes: expect.stringContaining('HttpOnly') }],
    });
    const bound = setCookie(registered, BOUND)!;
    expect(bound.attributes).toMatchObject({ httponly: '', secure: '', path: '/' });
    expect(Number(bound.attributes['max-age'])).toBeGreaterThan(120);
    // The refresh cookie comes back re-sealed (marked device-bound); the same challenge cannot register again.
    const refreshCookie = registered.cookie!.value;
    const again = await api.post(DBSC.register, {
      headers: { cookie: cookies(refreshCookie), 'secure-session-response': await dbscProof(device, challenge, true) },
    });
    expect(again.status).toBe(400);

    // Without the bound cookie the refresh is refused (wrong_device) and the session goes on; with it, it rotates.
    const withoutBound = await api.post(PATHS.refresh, { headers: { cookie: cookies(refreshCookie) } });
    expect(withoutBound.status).toBe(401);
    expect(withoutBound.json).toMatchObject({ error: 'invalid_grant', reason: 'wrong_device' });
    const withBound = await api.post(PATHS.refresh, { headers: { cookie: cookies(refreshCookie, bound.value) } });
    expect(withBound.status, withBound.text).toBe(200);
    const rotated = withBound.cookie!.value;

    // The browser's renewal: first without a proof (403 and a challenge), then signing it with the registered key.
    const sessionId = `"${session.claims.sid}"`;
    const ask = await api.post(DBSC.refresh, {
      headers: { cookie: cookies(rotated), 'sec-secure-session-id': sessionId },
    });
    expect(ask.status).toBe(403);
    const issued = /^"([^"]+)";id="([^"]+)"$/.exec(ask.headers.get('secure-session-challenge') ?? '');
    expect(issued?.[2]).toBe(session.claims.sid);
    const proved = await api.post(DBSC.refresh, {
      headers: {
        cookie: cookies(rotated),
        'sec-secure-session-id': sessionId,
        'secure-session-response': await dbscProof(device, issued![1]!, false),
      },
    });
    expect(proved.status, proved.text).toBe(200);
    expect(proved.json).toMatchObject({ session_identifier: session.claims.sid });
    const renewed = setCookie(proved, BOUND)!.value;
    expect(renewed).not.toBe('');

    // A reused challenge gets a new one (403); another key, or the key in the header, is refused outright (400).
    const reused = await api.post(DBSC.refresh, {
      headers: {
        cookie: cookies(rotated),
        'sec-secure-session-id': sessionId,
        'secure-session-response': await dbscProof(device, issued![1]!, false),
      },
    });
    expect(reused.status).toBe(403);
    const fresh = /^"([^"]+)"/.exec(reused.headers.get('secure-session-challenge') ?? '')![1]!;
    const foreign = await api.post(DBSC.refresh, {
      headers: {
        cookie: cookies(rotated),
        'sec-secure-session-id': sessionId,
        'secure-session-response': await dbscProof(await newProofKey(), fresh, false),
      },
    });
    expect(foreign.status).toBe(400);
    expect((foreign.json as { error: string }).error).toBe('invalid_dbsc_proof');

    // After sign-out the renewal says continue: false, which ends the browser's DBSC session.
    const out = await api.post(PATHS.logout, { headers: { cookie: cookies(rotated, renewed) } });
    expect(out.status).toBe(204);
    expect(setCookie(out, BOUND)?.attributes['max-age']).toBe('0');
    const ended = await api.post(DBSC.refresh, { headers: { 'sec-secure-session-id': sessionId } });
    expect(ended.status).toBe(200);
    expect(ended.json).toEqual({ session_identifier: session.claims.sid, continue: false });
  });

  test("registration needs a live refresh cookie and a proof of this session's challenge", async ({ api }) => {
    const { session, challenge } = await signUpOffered(api);
    const device = await newProofKey();
    const noCookie = await api.post(DBSC.register, {
      headers: { 'secure-session-response': await dbscProof(device, challenge, true) },
    });
    expect(noCookie.status).toBe(401);
    const other = await signUpOffered(api);
    const othersChallenge = await api.post(DBSC.register, {
      headers: {
        cookie: cookies(session.cookie),
        'secure-session-response': await dbscProof(device, other.challenge, true),
      },
    });
    expect(othersChallenge.status).toBe(400);
    const garbage = await api.post(DBSC.register, {
      headers: { cookie: cookies(session.cookie), 'secure-session-response': '"x.y.z"' },
    });
    expect(garbage.status).toBe(400);
  });

  test('with DBSC=off nothing is offered and the endpoints do not exist', async () => {
    const api = new Api(BEARER.url);
    const { offer } = await signUpOffered(api);
    expect(offer).toBe('');
    expect((await api.post(DBSC.register)).status).toBe(404);
    expect((await api.post(DBSC.refresh, { headers: { 'sec-secure-session-id': '"x"' } })).status).toBe(404);
  });
});
