import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { countRequests, registerThroughForm, signIn } from './helpers';
import { LIFETIMES, SHORT_TTL } from './servers';

/** Counts refresh requests from every page of a context. */
function countContextRefreshes(context: BrowserContext): { readonly count: number } {
  const counter = { count: 0 };
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/auth/refresh') counter.count += 1;
  });
  return counter;
}

async function openDashboards(context: BrowserContext, count: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    await page.goto('/dashboard');
    await expect(page.getByTestId('username')).toBeVisible();
    pages.push(page);
  }
  return pages;
}

test.describe('tabs share one session (access tokens last 3 s)', () => {
  test.use({ baseURL: SHORT_TTL.url });

  for (const tabs of [2, 3]) {
    test(`${tabs} tabs calling at once after expiry: every call succeeds with exactly one refresh`, async ({
      context,
      page,
    }) => {
      await signIn(page);
      const pages = [page, ...(await openDashboards(context, tabs - 1))];
      // A sleep, not a poll: time itself is under test (3 s tokens, and the server's 5 s clock-skew leeway, run out).
      await page.waitForTimeout(9_000);
      const refreshes = countContextRefreshes(context);
      await Promise.all(pages.map((tab) => tab.getByRole('button', { name: 'Call /api/me' }).click()));
      for (const tab of pages) {
        await expect(tab.getByTestId('api-status')).toHaveText('200');
        await expect(tab).toHaveURL(/\/dashboard$/);
      }
      expect(refreshes.count).toBe(1);
    });
  }

  test('signing out in one tab signs out every tab at once', async ({ context, page }) => {
    await signIn(page);
    const [other] = await openDashboards(context, 1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(other!).toHaveURL(/\/login\?reason=signed_out/);
    await expect(other!.getByText('You signed out.')).toBeVisible();
  });

  test('signing in in one tab is picked up by a tab waiting on the login page', async ({ context, page }) => {
    const waiting = await context.newPage();
    await waiting.goto('/dashboard');
    await expect(waiting).toHaveURL(/\/login\?next=%2Fdashboard/);
    await signIn(page);
    await expect(waiting).toHaveURL(/\/dashboard$/);
    await expect(waiting.getByTestId('username')).toBeVisible();
  });
});

test.describe('devices', () => {
  test('the sessions page lists each device and revoking one signs it out with the reason', async ({
    browser,
    page,
  }) => {
    const credentials = await registerThroughForm(page);
    const phone = await browser.newContext({
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1',
    });
    const phonePage = await phone.newPage();
    await signIn(phonePage, credentials);

    await page.goto('/sessions');
    const list = page.getByTestId('sessions');
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await expect(list).toContainText('Safari on iOS');
    await expect(list.getByRole('listitem').filter({ hasText: 'this session' })).toHaveCount(1);

    await list
      .getByRole('listitem')
      .filter({ hasText: 'Safari on iOS' })
      .getByRole('button', { name: /Sign out/ })
      .click();
    await expect(page.getByText('Signed out Safari on iOS.')).toBeVisible();
    await expect(list.getByRole('listitem')).toHaveCount(1);

    await phonePage.reload();
    await expect(phonePage).toHaveURL(/\/login\?reason=revoked/);
    await expect(phonePage.getByText('Your session was revoked from another device.')).toBeVisible();
    await phone.close();
  });

  test('a device revoked elsewhere is told why on its next call, without a reload: one refresh, then the login page', async ({
    browser,
    page,
  }) => {
    const credentials = await registerThroughForm(page);
    const phone = await browser.newContext();
    const phonePage = await phone.newPage();
    await signIn(phonePage, credentials);

    await page.goto('/sessions');
    const list = page.getByTestId('sessions');
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await list
      .getByRole('listitem')
      .filter({ hasNotText: 'this session' })
      .getByRole('button', { name: /Sign out/ })
      .click();
    await expect(list.getByRole('listitem')).toHaveCount(1);

    // The phone still holds a valid access token in memory; the Sessions API checks the store and refuses it.
    const refreshes = countRequests(phonePage, 'POST', '/api/auth/refresh');
    await phonePage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await expect(phonePage).toHaveURL(/\/login\?reason=revoked/);
    await expect(phonePage.getByText('Your session was revoked from another device.')).toBeVisible();
    expect(refreshes.count).toBe(1);
    await phone.close();
  });

  test('changing the password signs out the other devices, who are told why', async ({ browser, page }) => {
    const credentials = await registerThroughForm(page);
    const laptop = await browser.newContext();
    const laptopPage = await laptop.newPage();
    await signIn(laptopPage, credentials);

    await page.goto('/sessions');
    await page.getByLabel('Current password').fill(credentials.password);
    await page.getByLabel('New password').fill('an even longer new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('Password changed. Every other session was signed out.')).toBeVisible();
    await expect(page.getByTestId('sessions').getByRole('listitem')).toHaveCount(1);

    await laptopPage.reload();
    await expect(laptopPage).toHaveURL(/\/login\?reason=password_changed/);
    await laptop.close();
  });

  test('sign out everywhere ends this session too', async ({ page }) => {
    await registerThroughForm(page);
    await page.goto('/sessions');
    await page.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await expect(page).toHaveURL(/\/login\?reason=signed_out/);
  });
});

test.describe('lifetimes (idle timeout 6 s, maximum age 16 s)', () => {
  test.use({ baseURL: LIFETIMES.url });

  test('an idle session expires and the login page says so', async ({ page }) => {
    await signIn(page);
    // The browser drops the refresh cookie at its Max-Age (6 s); the companion cookie says why. Watched in the cookie
    // jar, which asks nothing of the server (a request would renew the session).
    await expect
      .poll(async () => (await page.context().cookies()).some((cookie) => cookie.name === '__Host-refresh'), {
        timeout: 15_000,
      })
      .toBe(false);
    await page.reload();
    await expect(page).toHaveURL(/\/login\?reason=expired/);
    await expect(page.getByText('Your session expired after a period of inactivity.')).toBeVisible();
  });

  test('a user active only through API calls is not idled out: renewals past half the idle time rotate the session', async ({
    page,
  }) => {
    await signIn(page);
    const refreshes = countRequests(page, 'POST', '/api/auth/refresh');
    // A call every second or so for 9 s — past the 6 s idle timeout, well inside the 16 s maximum age (counted in time,
    // not calls: on a busy machine each round takes longer) — each answer renewing the 2 s access token, so no call
    // meets an expired one; only the client's own rotation keeps the refresh session (and its cookie) alive.
    const started = Date.now();
    while (Date.now() - started < 9_000) {
      // The pace of a user's calls is the scenario: time itself is under test.
      await page.waitForTimeout(1_000);
      await page.getByRole('button', { name: 'Call /api/me' }).click();
      await expect(page.getByTestId('api-status')).toHaveText('200');
    }
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(refreshes.count).toBeGreaterThanOrEqual(1);
    await page.reload();
    await expect(page.getByTestId('username')).toBeVisible();
  });

  test('a busy session still ends at its maximum age, and the login page says so', async ({ page }) => {
    await signIn(page);
    const refreshes = countRequests(page, 'POST', '/api/auth/refresh');
    // Reload every second or so (each reload refreshes, so the session never idles out) until the maximum age ends it.
    await expect(async () => {
      await page.reload();
      await expect(page).toHaveURL(/\/login\?reason=max_age/, { timeout: 1_000 });
    }).toPass({ intervals: [0], timeout: 30_000 });
    await expect(page.getByText('Your session reached its maximum age.')).toBeVisible();
    expect(refreshes.count).toBeGreaterThanOrEqual(3);
  });
});
