import { generateKeyPair, generateProof } from 'dpop';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '@/lib/client/jwt-view';
import { arrowsFor, serverCheck } from './arrows';
import { proofView } from './proof-view';
import type { AuthEvent, DbscEvent } from './recorder';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';

describe('a proof in the diagram', () => {
  it('names its jti, htm and path, and shows its ath as the fingerprint of the token it carries', async () => {
    const proof = await generateProof(
      await generateKeyPair('ES256'),
      'http://localhost:3000/api/me?x=1',
      'GET',
      undefined,
      TOKEN,
    );
    const view = proofView(proof);
    expect(view).toMatchObject({ htm: 'GET', htu: 'http://localhost:3000/api/me?x=1', path: '/api/me', nonce: null });
    expect(view?.jti.length).toBeGreaterThan(8);
    expect(view?.athPrint).toBe(await fingerprint(TOKEN));
    expect(view?.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('has no ath without a token, and is null for anything that is not a JWT', async () => {
    const proof = await generateProof(await generateKeyPair('ES256'), 'http://localhost:3000/api/auth/refresh', 'POST');
    expect(proofView(proof)).toMatchObject({ ath: null, athPrint: null, path: '/api/auth/refresh' });
    expect(proofView(undefined)).toBeNull();
    expect(proofView('not a proof')).toBeNull();
  });
});

const event = (fields: Partial<AuthEvent>): AuthEvent => ({
  kind: 'api',
  tab: 't1',
  method: 'GET',
  path: '/api/me',
  id: 1,
  at: 0,
  durationMs: 5,
  status: 200,
  ...fields,
});

describe("the server's check in the diagram", () => {
  it('checks the proof and the token of an API call; a refusal of either is its verdict', () => {
    expect(serverCheck(event({ sentToken: TOKEN, proof: 'p' }))).toEqual({ label: 'checkProofIdExp', verdict: 'ok' });
    const refused = event({ sentToken: TOKEN, proof: 'p', status: 401, error: 'invalid_dpop_proof' });
    expect(serverCheck(refused)).toEqual({ label: 'checkProofIdExp', verdict: 'invalid_dpop_proof' });
    expect(arrowsFor([refused]).map((arrow) => arrow.label)).toEqual(['apiCall', 'checkProofIdExp', 'proofRefused']);
  });

  it('judges a refresh against the session key, with or without a proof, and says wrong_key', () => {
    const keyLost = event({
      kind: 'refresh',
      method: 'POST',
      path: '/api/auth/refresh',
      status: 401,
      error: 'invalid_grant',
      reason: 'wrong_key',
    });
    expect(serverCheck(keyLost)).toEqual({ label: 'checkSessionKey', verdict: 'wrong_key' });
    expect(arrowsFor([keyLost]).map((arrow) => arrow.label)).toEqual([
      'renewalRequest',
      'checkSessionKey',
      'keyRefused',
    ]);
  });

  it('draws the page load’s early refresh as sent before the page was interactive, and the others as usual', () => {
    const refresh = { kind: 'refresh', method: 'POST', path: '/api/auth/refresh', proof: 'p' } as const;
    const early = event({ ...refresh, early: true });
    const later = event({ ...refresh, id: 2, at: 10, early: false });
    expect(arrowsFor([early, later]).map((arrow) => arrow.label)).toEqual([
      'earlyRenewalRequest',
      'checkSessionKey',
      'renewedToken',
      'renewalRequest',
      'checkSessionKey',
      'renewedToken',
    ]);
  });

  it('draws the demo’s keyless requests as the demo’s, with the refusal they met', () => {
    const foreign = event({ kind: 'demo', sentToken: TOKEN, proof: 'p', status: 401, error: 'invalid_dpop_proof' });
    const bearer = event({ kind: 'demo', id: 2, sentToken: TOKEN, status: 401, error: 'invalid_token' });
    const otherDevice = event({
      kind: 'demo',
      id: 3,
      method: 'POST',
      path: '/api/demo/other-device',
      sentToken: TOKEN,
      proof: 'p',
      status: 401,
      error: 'invalid_grant',
      reason: 'wrong_key',
    });
    const labelled = arrowsFor([foreign, bearer, otherDevice]).map((arrow) => [
      arrow.label,
      'verdict' in arrow ? arrow.verdict : undefined,
    ]);
    expect(labelled).toEqual([
      ['foreignProofCall', undefined],
      ['checkProofIdExp', 'invalid_dpop_proof'],
      ['bearerCall', undefined],
      ['checkIdExp', 'invalid_token'],
      ['otherDeviceRequest', undefined],
      ['otherDeviceCheck', 'wrong_key'],
      ['proofRefused', undefined],
      ['apiRefused', undefined],
      ['keyRefused', undefined],
    ]);
  });
});

describe("the browser's own DBSC requests in the diagram", () => {
  const dbsc = (outcome: DbscEvent['outcome'], at: number, id: number): DbscEvent => ({
    kind: 'dbsc',
    id,
    at,
    outcome,
    path: outcome === 'registered' ? '/api/auth/dbsc/register' : '/api/auth/dbsc/refresh',
  });

  it('draws each as one arrow from the browser, labelled with what came of it, at the time the server recorded it', () => {
    const arrows = arrowsFor([
      dbsc('registered', 10, 1),
      dbsc('refreshed', 20, 2),
      dbsc('ended', 30, 3),
      dbsc('refused', 40, 4),
    ]);
    expect(arrows.map((arrow) => [arrow.direction, arrow.label, arrow.tone, arrow.at])).toEqual([
      ['byBrowser', 'dbscRegistered', 'ok', 10],
      ['byBrowser', 'dbscRefreshed', 'ok', 20],
      ['byBrowser', 'dbscEnded', 'warn', 30],
      ['byBrowser', 'dbscRefused', 'bad', 40],
    ]);
  });

  it('places a request reported later by when it happened, among the exchanges the page saw', () => {
    const signIn = event({
      kind: 'login',
      method: 'POST',
      path: '/api/auth/login',
      id: 1,
      at: 100,
      durationMs: 20,
      proof: 'p',
    });
    const call = event({ id: 2, at: 500, sentToken: TOKEN, proof: 'p' });
    const registered = dbsc('registered', 200, 3);
    expect(arrowsFor([signIn, call, registered]).map((arrow) => arrow.label)).toEqual([
      'tokenRequest',
      'checkProofBind',
      'tokenIssued',
      'dbscRegistered',
      'apiCall',
      'checkProofIdExp',
      'result',
    ]);
  });
});
