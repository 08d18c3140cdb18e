import { describe, expect, it, vi } from 'vitest';
import { expectAuthError } from '@/test/auth';
import { makeProof, newProofKey } from '@/test/dpop';
import { verifyProof } from './dpop';
import { currentNonce } from './dpop-nonce';

// Read by getConfig() on first use, which comes after this line: this file's worker runs with nonces required.
vi.stubEnv('DPOP_NONCE', 'on');

const REFRESH = { method: 'POST', url: 'http://localhost:3000/api/auth/refresh' };
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe('verifyProof with DPOP_NONCE=on', () => {
  it('demands a nonce (use_dpop_nonce, carrying one), then accepts the proof that carries it', async () => {
    const key = await newProofKey();
    const demand = await expectAuthError(verifyProof(await makeProof(key, REFRESH), REFRESH), 'use_dpop_nonce');
    expect(demand.options.nonce).toMatch(/^[0-9a-z]+\.\.[A-Za-z0-9_-]{43}$/);
    expect((await verifyProof(await makeProof(key, { ...REFRESH, nonce: demand.options.nonce }), REFRESH)).jkt).toBe(
      key.jkt,
    );
  });

  it('does not remember the jti of a proof it asked to retry (the retry costs nothing)', async () => {
    const key = await newProofKey();
    const jti = crypto.randomUUID();
    const demand = await expectAuthError(
      verifyProof(await makeProof(key, { ...REFRESH, claims: { jti } }), REFRESH),
      'use_dpop_nonce',
    );
    await verifyProof(await makeProof(key, { ...REFRESH, nonce: demand.options.nonce, claims: { jti } }), REFRESH);
  });

  it("refuses a forged nonce and one from two windows ago; accepts the previous window's", async () => {
    const key = await newProofKey();
    const nonce = await currentNonce();
    const forged = nonce.replace(/\.\.(.)/, (_, c: string) => `..${c === 'A' ? 'B' : 'A'}`);
    await expectAuthError(verifyProof(await makeProof(key, { ...REFRESH, nonce: forged }), REFRESH), 'use_dpop_nonce');
    await expectAuthError(
      verifyProof(await makeProof(key, { ...REFRESH, nonce: await currentNonce(minutes(-10)) }), REFRESH),
      'use_dpop_nonce',
    );
    await verifyProof(await makeProof(key, { ...REFRESH, nonce: await currentNonce(minutes(-5)) }), REFRESH);
  });

  it("answers an API call's missing nonce with 401 semantics", async () => {
    const key = await newProofKey();
    const demand = await expectAuthError(
      verifyProof(
        await makeProof(key, { accessToken: 'a.b.c' }),
        { method: 'GET', url: 'http://localhost:3000/api/me' },
        { accessToken: 'a.b.c' },
      ),
      'use_dpop_nonce',
    );
    expect(demand.options.resource).toBe(true);
  });
});
