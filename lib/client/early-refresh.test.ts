import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { EXCHANGE_HISTORY_ATTRIBUTE, type TokenBody } from '@/lib/protocol';

const TOKENS: TokenBody = {
  accessToken: 'access-token',
  tokenType: 'Bearer',
  expiresIn: 120,
  refreshExpiresIn: 604_800,
  user: { id: 'u1', username: 'ada' },
};

let refreshes = 0;

/** A page at `pathname` (its `<html>` asking for the exchange history when `history`), whose refresh answers `answer`. */
async function pageLoad(pathname: string, answer: () => Response, { history = false } = {}) {
  refreshes = 0;
  vi.stubGlobal('location', { pathname, href: `http://localhost${pathname}` });
  vi.stubGlobal('document', {
    documentElement: { hasAttribute: (name: string) => history && name === EXCHANGE_HISTORY_ATTRIBUTE },
  });
  vi.stubGlobal('fetch', () => {
    refreshes += 1;
    return new Promise<Response>((resolve) => setTimeout(() => resolve(answer()), 50));
  });
  // A full load: every module of the auth client starts afresh.
  vi.resetModules();
  const early = await import('./early-refresh');
  const client = await import('./auth-client');
  return { ...early, ...client };
}

describe('the page load’s early refresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  test('the page’s restore adopts the request in flight: one refresh, even when asked twice (StrictMode)', async () => {
    const page = await pageLoad('/dashboard', () => Response.json(TOKENS));
    page.startEarlyRefresh();
    const restored = Promise.all([page.restoreSession(), page.restoreSession()]);
    await vi.advanceTimersByTimeAsync(200);
    expect(await restored).toEqual([true, true]);
    expect(refreshes).toBe(1);
    expect(page.getAuthState()).toMatchObject({ status: 'authenticated', accessToken: 'access-token' });
  });

  test('a restore after the early refresh answered uses its tokens without a request', async () => {
    const page = await pageLoad('/sessions', () => Response.json(TOKENS));
    page.startEarlyRefresh();
    await vi.advanceTimersByTimeAsync(200);
    expect(await page.restoreSession()).toBe(true);
    expect(refreshes).toBe(1);
  });

  test('a session the early refresh found ended is not asked for again', async () => {
    const ended = () => Response.json({ error: 'invalid_grant', reason: 'missing' }, { status: 401 });
    const page = await pageLoad('/dashboard-twin', ended);
    page.startEarlyRefresh();
    await vi.advanceTimersByTimeAsync(200);
    expect(await page.restoreSession()).toBe(false);
    expect(refreshes).toBe(1);
    expect(page.getAuthState()).toMatchObject({ status: 'unauthenticated', endedBecause: 'missing' });
  });

  test.each(['/', '/login'])('%s, which shows no session, starts no refresh', async (pathname) => {
    const page = await pageLoad(pathname, () => Response.json(TOKENS));
    page.startEarlyRefresh();
    await vi.advanceTimersByTimeAsync(200);
    expect(refreshes).toBe(0);
    expect(page.getAuthState().status).toBe('loading');
  });

  test('with the history asked for, an observer that comes later hears of the early refresh, marked early', async () => {
    const page = await pageLoad('/demo', () => Response.json(TOKENS), { history: true });
    page.startEarlyRefresh();
    await vi.advanceTimersByTimeAsync(200);
    const heard: { kind: string; early?: boolean; status?: number }[] = [];
    page.observeExchanges(([info, response]) =>
      heard.push({ kind: info.kind, early: info.early, status: response?.status }),
    );
    expect(heard).toEqual([{ kind: 'refresh', early: true, status: 200 }]);
  });

  test('without the history asked for, nothing is kept', async () => {
    const page = await pageLoad('/demo', () => Response.json(TOKENS));
    page.startEarlyRefresh();
    await vi.advanceTimersByTimeAsync(200);
    const heard: unknown[] = [];
    page.observeExchanges((exchange) => heard.push(exchange));
    expect(heard).toEqual([]);
  });
});
