import { SignJWT, base64url, exportJWK } from 'jose';
import { generateKeyPair, generateProof } from 'dpop';
import { describe, expect, it } from 'vitest';
import { expectAuthError } from '@/test/auth';
import { makeProof, newProofKey } from '@/test/dpop';
import { verifyProof } from './dpop';

const ME = { method: 'GET', url: 'http://localhost:3000/api/me' };
const TOKEN = 'header.payload.signature';

describe('verifyProof', () => {
  it('accepts a proof made by the browser library, and returns its key thumbprint', async () => {
    const pair = await generateKeyPair('ES256');
    const proof = await generateProof(pair, ME.url, 'GET', undefined, TOKEN);
    const key = await newProofKey();
    const verified = await verifyProof(proof, ME, { accessToken: TOKEN });
    expect(verified.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verified.jkt).not.toBe(key.jkt);
  });

  it('ignores the query and fragment of htu, as RFC 9449 says', async () => {
    const key = await newProofKey();
    const proof = await makeProof(key, { url: 'http://localhost:3000/api/me?x=1#y', accessToken: TOKEN });
    expect((await verifyProof(proof, ME, { accessToken: TOKEN })).jkt).toBe(key.jkt);
  });

  it('refuses a missing proof, one that is not a compact JWS, and one over the size limit', async () => {
    await expectAuthError(verifyProof(null, ME), 'invalid_dpop_proof');
    await expectAuthError(verifyProof('not-a-jws', ME), 'invalid_dpop_proof');
    const key = await newProofKey();
    const proof = await makeProof(key);
    await expectAuthError(verifyProof(`${proof}, ${proof}`, ME), 'invalid_dpop_proof');
    await expectAuthError(
      verifyProof(await makeProof(key, { claims: { pad: 'x'.repeat(2048) } }), ME),
      'invalid_dpop_proof',
    );
  });

  it('refuses a typ other than dpop+jwt', async () => {
    const key = await newProofKey();
    await expectAuthError(verifyProof(await makeProof(key, { header: { typ: 'JWT' } }), ME), 'invalid_dpop_proof');
  });

  it('refuses alg none and symmetric algorithms', async () => {
    const key = await newProofKey();
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: key.jwk }))}.${base64url.encode(
      JSON.stringify({ jti: crypto.randomUUID(), htm: 'GET', htu: ME.url, iat: Math.floor(Date.now() / 1000) }),
    )}.`;
    await expectAuthError(verifyProof(unsigned, ME), 'invalid_dpop_proof');
    const hs256 = await makeProof(key, { header: { alg: 'HS256' }, signWith: new Uint8Array(32).fill(7) });
    await expectAuthError(verifyProof(hs256, ME), 'invalid_dpop_proof');
  });

  it('refuses a jwk with private members, a symmetric jwk, another curve, or none', async () => {
    const key = await newProofKey();
    const extractable = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const privateJwk = await exportJWK(extractable.privateKey);
    const withPrivate = await makeProof(key, { header: { jwk: privateJwk }, signWith: extractable.privateKey });
    await expectAuthError(verifyProof(withPrivate, ME), 'invalid_dpop_proof');
    await expectAuthError(
      verifyProof(await makeProof(key, { header: { jwk: { kty: 'oct', k: 'AAAA' } } }), ME),
      'invalid_dpop_proof',
    );
    await expectAuthError(
      verifyProof(await makeProof(key, { header: { jwk: { ...key.jwk, crv: 'P-384' } } }), ME),
      'invalid_dpop_proof',
    );
    await expectAuthError(verifyProof(await makeProof(key, { header: { jwk: undefined } }), ME), 'invalid_dpop_proof');
  });

  it('refuses a proof signed by a key other than the one in its header', async () => {
    const [key, other] = [await newProofKey(), await newProofKey()];
    await expectAuthError(
      verifyProof(await makeProof(key, { signWith: other.pair.privateKey }), ME),
      'invalid_dpop_proof',
    );
  });

  it('refuses another method (htm) and another URL (htu): path, host or scheme', async () => {
    const key = await newProofKey();
    await expectAuthError(verifyProof(await makeProof(key, { method: 'POST' }), ME), 'invalid_dpop_proof');
    for (const url of [
      'http://localhost:3000/api/auth/sessions',
      'http://evil.example:3000/api/me',
      'https://localhost:3000/api/me',
      'nonsense',
    ]) {
      await expectAuthError(verifyProof(await makeProof(key, { url }), ME), 'invalid_dpop_proof');
    }
  });

  it('refuses an iat outside the window, either way, and a proof without iat or jti', async () => {
    const key = await newProofKey();
    await expectAuthError(verifyProof(await makeProof(key, { age: -61 }), ME), 'invalid_dpop_proof');
    await expectAuthError(verifyProof(await makeProof(key, { age: 61 }), ME), 'invalid_dpop_proof');
    expect((await verifyProof(await makeProof(key, { age: -55 }), ME)).jkt).toBe(key.jkt);
    await expectAuthError(verifyProof(await makeProof(key, { claims: { iat: undefined } }), ME), 'invalid_dpop_proof');
    await expectAuthError(verifyProof(await makeProof(key, { claims: { jti: undefined } }), ME), 'invalid_dpop_proof');
  });

  it("on an API call, refuses a missing or wrong ath and a key other than the token's cnf.jkt, with 401 semantics", async () => {
    const [key, other] = [await newProofKey(), await newProofKey()];
    const missing = await expectAuthError(
      verifyProof(await makeProof(key), ME, { accessToken: TOKEN }),
      'invalid_dpop_proof',
    );
    expect(missing.options.resource).toBe(true);
    await expectAuthError(
      verifyProof(await makeProof(key, { accessToken: 'another.token.here' }), ME, { accessToken: TOKEN }),
      'invalid_dpop_proof',
    );
    await expectAuthError(
      verifyProof(await makeProof(other, { accessToken: TOKEN }), ME, { accessToken: TOKEN, jkt: key.jkt }),
      'invalid_dpop_proof',
    );
    expect(
      (await verifyProof(await makeProof(key, { accessToken: TOKEN }), ME, { accessToken: TOKEN, jkt: key.jkt })).jkt,
    ).toBe(key.jkt);
  });

  it('refuses a replayed jti: in memory for API calls, in the store for token endpoints', async () => {
    const key = await newProofKey();
    const call = await makeProof(key, { accessToken: TOKEN });
    await verifyProof(call, ME, { accessToken: TOKEN });
    await expectAuthError(verifyProof(call, ME, { accessToken: TOKEN }), 'invalid_dpop_proof');
    const refresh = { method: 'POST', url: 'http://localhost:3000/api/auth/refresh' };
    const proof = await makeProof(key, refresh);
    await verifyProof(proof, refresh);
    const replay = await expectAuthError(verifyProof(proof, refresh), 'invalid_dpop_proof');
    expect(replay.options.resource).toBe(false);
    // The same jti under another key is another proof.
    const other = await newProofKey();
    const sameJti = JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString()) as { jti: string };
    await verifyProof(await makeProof(other, { ...refresh, claims: { jti: sameJti.jti } }), refresh);
  });

  it('accepts proofs without a nonce while DPOP_NONCE is off', async () => {
    const key = await newProofKey();
    const proof = await new SignJWT({
      jti: crypto.randomUUID(),
      htm: 'GET',
      htu: ME.url,
      iat: Math.floor(Date.now() / 1000),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk })
      .sign(key.pair.privateKey);
    expect((await verifyProof(proof, ME)).jkt).toBe(key.jkt);
  });
});
