import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/lib/db';
import { registerUser } from './accounts';
import { makeBoundCookie, boundCookieName } from './bound-cookie';
import { encodeSessionEnds, refreshCookieName, sealRefreshToken, sessionEndsCookieName } from './cookie';
import { guardPage } from './page-guard';
import { startSession } from './sessions';

// This file runs under Node (vitest), as a proxy.ts would: the page guard needs nothing of the edge runtime.
afterAll(closeDb);

const ORIGIN = 'http://localhost:3000';
const page = (path: string, cookies: Record<string, string> = {}) => ({
  url: new URL(path, ORIGIN),
  cookie: (name: string) => cookies[name],
});

async function signedIn(dbscBound = false) {
  const user = await registerUser({
    username: `g${crypto.randomUUID().slice(0, 12)}`,
    password: 'long enough password',
  });
  const issued = await startSession(user, {});
  return { issued, seal: await sealRefreshToken(issued.refreshToken, 600, dbscBound) };
}

describe('the page guard, under Node', () => {
  it('sends a visitor without a session from a protected page to /login, keeping the page asked for', async () => {
    expect(await guardPage(page('/sessions?tab=1'))).toEqual({
      action: 'redirect',
      location: `${ORIGIN}/login?next=%2Fsessions%3Ftab%3D1`,
    });
    expect(await guardPage(page('/dashboard', { [refreshCookieName()]: 'not a seal' }))).toMatchObject({
      action: 'redirect',
    });
  });

  it('says why when the companion cookie tells that the session reached its maximum age', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const decision = await guardPage(page('/dashboard', { [sessionEndsCookieName()]: encodeSessionEnds(past, past) }));
    expect(decision).toEqual({ action: 'redirect', location: `${ORIGIN}/login?reason=max_age&next=%2Fdashboard` });
  });

  it('lets a live refresh cookie through, and sends a signed-in visitor of /login on to a safe page', async () => {
    const { seal } = await signedIn();
    expect(await guardPage(page('/dashboard', { [refreshCookieName()]: seal }))).toEqual({ action: 'next' });
    expect(await guardPage(page('/login?next=/sessions', { [refreshCookieName()]: seal }))).toEqual({
      action: 'redirect',
      location: `${ORIGIN}/sessions`,
    });
    expect(await guardPage(page('/login?next=//evil.example', { [refreshCookieName()]: seal }))).toEqual({
      action: 'redirect',
      location: `${ORIGIN}/dashboard`,
    });
    expect(await guardPage(page('/'))).toEqual({ action: 'next' });
  });

  it('(DBSC is on by default) asks a DBSC-bound session for its valid bound cookie', async () => {
    const { issued, seal } = await signedIn(true);
    expect(await guardPage(page('/dashboard', { [refreshCookieName()]: seal }))).toMatchObject({ action: 'redirect' });
    const bound = await makeBoundCookie(issued.sessionId);
    expect(
      await guardPage(page('/dashboard', { [refreshCookieName()]: seal, [boundCookieName()]: bound.value })),
    ).toEqual({ action: 'next' });
  });
});
