import { SignJWT, exportJWK, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/lib/db';
import { expectAuthError, refreshWith } from '@/test/auth';
import { newProofKey, type ProofKey } from '@/test/dpop';
import { registerUser } from './accounts';
import { isBoundCookieValid, makeBoundCookie } from './bound-cookie';
import { headerString, newChallenge, verifyRefreshProof, verifyRegistration } from './dbsc';
import { registerDbscKey } from './binding';
import { renewAccessToken } from './renewal';
import { startSession } from './sessions';

afterAll(closeDb);

/** A proof as Chrome sends it: `"<jws>"`, header {alg, typ, jwk?}, payload {jti}. */
async function proof(
  key: ProofKey,
  jti: string,
  header: Record<string, unknown> = {},
  signWith?: CryptoKey,
): Promise<string> {
  const jws = await new SignJWT({ jti })
    .setProtectedHeader({ alg: 'ES256', typ: 'dbsc+jwt', ...header } as { alg: string })
    .sign(signWith ?? key.pair.privateKey);
  return `"${jws}"`;
}

const registration = async (key: ProofKey, jti: string, header: Record<string, unknown> = {}) =>
  proof(key, jti, { jwk: key.jwk, ...header });
const sessionId = () => crypto.randomUUID();
const minutesFromNow = (n: number) => new Date(Date.now() + n * 60_000);

describe('DBSC registration proofs', () => {
  it("accepts the device key signing this session's challenge, and returns the public key to store", async () => {
    const [key, sid] = [await newProofKey(), sessionId()];
    const stored = JSON.parse(await verifyRegistration(await registration(key, await newChallenge(sid)), sid)) as JWK;
    expect(stored).toEqual(key.jwk);
  });

  it('refuses a wrong typ, an alg not allowed, and a missing or private jwk', async () => {
    const [key, sid] = [await newProofKey(), sessionId()];
    await expectAuthError(
      verifyRegistration(await registration(key, await newChallenge(sid), { typ: 'JWT' }), sid),
      'invalid_dbsc_proof',
    );
    await expectAuthError(verifyRegistration(await hs256(sid), sid), 'invalid_dbsc_proof');
    await expectAuthError(verifyRegistration(await proof(key, await newChallenge(sid)), sid), 'invalid_dbsc_proof');
    const extractable = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const withPrivate = await proof(
      key,
      await newChallenge(sid),
      { jwk: await exportJWK(extractable.privateKey) },
      extractable.privateKey,
    );
    await expectAuthError(verifyRegistration(withPrivate, sid), 'invalid_dbsc_proof');
  });

  it('refuses a signature by a key other than the one it carries', async () => {
    const [key, other, sid] = [await newProofKey(), await newProofKey(), sessionId()];
    await expectAuthError(
      verifyRegistration(await proof(key, await newChallenge(sid), { jwk: key.jwk }, other.pair.privateKey), sid),
      'invalid_dbsc_proof',
    );
  });

  it("refuses a challenge that is made up, another session's, expired, or used before", async () => {
    const [key, sid] = [await newProofKey(), sessionId()];
    await expectAuthError(verifyRegistration(await registration(key, 'c1'), sid), 'invalid_dbsc_proof');
    await expectAuthError(
      verifyRegistration(await registration(key, await newChallenge(sessionId())), sid),
      'invalid_dbsc_proof',
    );
    const expired = await newChallenge(sid, minutesFromNow(-6));
    expect(
      (await expectAuthError(verifyRegistration(await registration(key, expired), sid), 'invalid_dbsc_proof')).options
        .stale,
    ).toBe(true);
    const challenge = await newChallenge(sid);
    await verifyRegistration(await registration(key, challenge), sid);
    const reused = await expectAuthError(
      verifyRegistration(await registration(key, challenge), sid),
      'invalid_dbsc_proof',
    );
    expect(reused.options.stale).toBe(true);
  });
});

async function hs256(sid: string): Promise<string> {
  const jws = await new SignJWT({ jti: await newChallenge(sid) })
    .setProtectedHeader({ alg: 'HS256', typ: 'dbsc+jwt' })
    .sign(new Uint8Array(32).fill(1));
  return `"${jws}"`;
}

describe('DBSC refresh proofs', () => {
  it('accepts the registered key signing a fresh challenge, once', async () => {
    const [key, sid] = [await newProofKey(), sessionId()];
    const stored = JSON.stringify(key.jwk);
    const challenge = await newChallenge(sid);
    await verifyRefreshProof(await proof(key, challenge), sid, stored);
    expect(
      (await expectAuthError(verifyRefreshProof(await proof(key, challenge), sid, stored), 'invalid_dbsc_proof'))
        .options.stale,
    ).toBe(true);
  });

  it('refuses a jwk in the header, a key other than the registered one, a wrong typ and HS256', async () => {
    const [key, other, sid] = [await newProofKey(), await newProofKey(), sessionId()];
    const stored = JSON.stringify(key.jwk);
    await expectAuthError(
      verifyRefreshProof(await registration(key, await newChallenge(sid)), sid, stored),
      'invalid_dbsc_proof',
    );
    const foreign = await expectAuthError(
      verifyRefreshProof(await proof(other, await newChallenge(sid)), sid, stored),
      'invalid_dbsc_proof',
    );
    expect(foreign.options.stale).toBeUndefined();
    await expectAuthError(
      verifyRefreshProof(await proof(key, await newChallenge(sid), { typ: 'dpop+jwt' }), sid, stored),
      'invalid_dbsc_proof',
    );
    await expectAuthError(verifyRefreshProof(await hs256(sid), sid, stored), 'invalid_dbsc_proof');
    await expectAuthError(verifyRefreshProof(null, sid, stored), 'invalid_dbsc_proof');
  });

  it('reads the proof from a structured-field string, quoted or not', () => {
    expect(headerString('"abc.def.ghi"')).toBe('abc.def.ghi');
    expect(headerString('abc.def.ghi')).toBe('abc.def.ghi');
    expect(headerString('"s1";id="x"')).toBe('s1');
    expect(headerString('')).toBeNull();
    expect(headerString(null)).toBeNull();
  });
});

describe('the bound cookie', () => {
  it("is valid for its session until it expires; a forged, altered or other session's cookie is not", async () => {
    const sid = sessionId();
    const bound = await makeBoundCookie(sid);
    expect(bound.maxAge).toBeGreaterThan(120);
    expect(await isBoundCookieValid(bound.value, sid)).toBe(true);
    expect(await isBoundCookieValid(bound.value, sessionId())).toBe(false);
    expect(await isBoundCookieValid(bound.value, sid, new Date((bound.expiresAt + 1) * 1000))).toBe(false);
    // Every alteration of the value itself is refused in lib/auth/signed-value.test.ts; a DBSC challenge for the same
    // session is a signed value too, but under another label.
    expect(await isBoundCookieValid(await newChallenge(sid), sid)).toBe(false);
    expect(await isBoundCookieValid('garbage', sid)).toBe(false);
    expect(await isBoundCookieValid(undefined, sid)).toBe(false);
  });
});

describe('a device-bound session', () => {
  it('refreshes only with a valid bound cookie (wrong_device otherwise), and stays live when refused', async () => {
    const user = await registerUser({
      username: `b${crypto.randomUUID().slice(0, 12)}`,
      password: 'long enough password',
    });
    const issued = await startSession(user, {});
    expect(issued.dbscBound).toBe(false);
    const key = await newProofKey();
    expect(await registerDbscKey(issued.sessionId, JSON.stringify(key.jwk))).toBe(true);
    expect(await registerDbscKey(issued.sessionId, JSON.stringify(key.jwk))).toBe(false);
    for (const boundCookie of [null, 'garbage', (await makeBoundCookie(sessionId())).value]) {
      const refused = await expectAuthError(
        refreshWith(issued.refreshToken, new Date(), { boundCookie }),
        'invalid_grant',
      );
      expect(refused.detail.reason).toBe('wrong_device');
    }
    const next = await refreshWith(issued.refreshToken, new Date(), {
      boundCookie: (await makeBoundCookie(issued.sessionId)).value,
    });
    expect(next.dbscBound).toBe(true);
  });

  it('renews access tokens (sliding renewal) only with a valid bound cookie', async () => {
    const user = await registerUser({
      username: `r${crypto.randomUUID().slice(0, 12)}`,
      password: 'long enough password',
    });
    const issued = await startSession(user, {});
    await registerDbscKey(issued.sessionId, JSON.stringify((await newProofKey()).jwk));
    expect(await renewAccessToken(issued.accessClaims, { boundCookie: null })).toBeNull();
    expect(
      await renewAccessToken(issued.accessClaims, { boundCookie: (await makeBoundCookie(sessionId())).value }),
    ).toBeNull();
    expect(
      await renewAccessToken(issued.accessClaims, { boundCookie: (await makeBoundCookie(issued.sessionId)).value }),
    ).not.toBeNull();
  });
});
