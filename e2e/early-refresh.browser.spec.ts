import { expect, test, type Page } from '@playwright/test';
import { countRequests, registerThroughForm } from './helpers';

/** How long after the signed-in page a second refresh or an /api/me call would have shown itself, had one come. */
const SETTLE_MS = 1_000;

/**
 * Watches every document of the page from its first byte (the server's HTML included, as the parser inserts it) for
 * the "restoring" notice, and collects the page's uncaught errors and React's hydration errors.
 */
async function watch(page: Page) {
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.body?.textContent?.includes('Restoring your session'))
        Object.assign(window, { restoringSeen: true });
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A hydration mismatch (the early refresh answered before hydration and the page hydrated as signed in) is not thrown:
  // React recovers by rendering the page again on the client, and says so on the console (minified: errors #418–425).
  page.on('console', (message) => {
    if (message.type() === 'error' && /hydrat|Minified React error #4[12]\d/i.test(message.text()))
      errors.push(message.text());
  });
  return {
    errors,
    restoringSeen: () => page.evaluate(() => 'restoringSeen' in window),
  };
}

/** Counts the refresh and /api/me requests of a page from now on. */
const traffic = (page: Page) => ({
  refreshes: countRequests(page, 'POST', '/api/auth/refresh'),
  me: countRequests(page, 'GET', '/api/me'),
});

test.describe('the page load’s one refresh, started before hydration', () => {
  test('a full load of the dashboard makes one refresh, no /api/me, and never shows "restoring"', async ({ page }) => {
    const credentials = await registerThroughForm(page);
    const seen = await watch(page);
    // The server's first refresh loads the route's code; the one measured must answer as quickly as a warm server does.
    await page.reload();
    await expect(page.getByTestId('username')).toHaveText(credentials.username);
    const { refreshes, me } = traffic(page);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Signed in as ${credentials.username}`);
    await page.waitForTimeout(SETTLE_MS);
    expect(refreshes.count).toBe(1);
    expect(me.count).toBe(0);
    expect(await seen.restoringSeen()).toBe(false);
    expect(seen.errors).toEqual([]);
  });

  test('on a slow CPU, where the refresh answers before hydration, the page hydrates as the server rendered it', async ({
    page,
  }) => {
    const credentials = await registerThroughForm(page);
    const seen = await watch(page);
    // A phone's CPU: hydration outlasts the early refresh, whose tokens are in memory before React hydrates.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    for (let load = 0; load < 3; load++) {
      await page.reload();
      await expect(page.getByTestId('username')).toHaveText(credentials.username);
    }
    expect(seen.errors, 'no hydration mismatch (React error #418)').toEqual([]);
  });

  test('every page that shows the session makes exactly one refresh per full load', async ({ page }) => {
    const credentials = await registerThroughForm(page);
    for (const path of ['/sessions', '/demo', '/dashboard-twin', '/dashboard']) {
      const { refreshes } = traffic(page);
      await page.goto(path);
      const shown = path === '/sessions' ? page.getByTestId('sessions') : page.getByTestId('username');
      await expect(shown).toContainText(path === '/sessions' ? 'this session' : credentials.username);
      await page.waitForTimeout(SETTLE_MS);
      expect(refreshes.count, path).toBe(1);
    }
  });

  test('pages that do not show the session make no refresh', async ({ page }) => {
    await registerThroughForm(page);
    const { refreshes } = traffic(page);
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.waitForTimeout(SETTLE_MS);
    expect(refreshes.count).toBe(0);
  });

  test('a second tab makes its own one refresh, and the first tab takes its tokens without one', async ({
    context,
    page,
  }) => {
    const credentials = await registerThroughForm(page);
    const first = traffic(page);
    const other = await context.newPage();
    const second = traffic(other);
    await other.goto('/dashboard');
    await expect(other.getByTestId('username')).toHaveText(credentials.username);
    await other.reload();
    await expect(other.getByTestId('username')).toHaveText(credentials.username);
    await other.waitForTimeout(SETTLE_MS);
    expect(second.refreshes.count).toBe(2);
    expect(first.refreshes.count).toBe(0);
    // The first tab still works: it holds the token the other tab's last refresh handed over.
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
    expect(first.refreshes.count).toBe(0);
  });

  test('a signed-out visitor is sent to the login page, with no refresh on the way and no errors', async ({ page }) => {
    const seen = await watch(page);
    const { refreshes } = traffic(page);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await page.waitForTimeout(SETTLE_MS);
    expect(refreshes.count).toBe(0);
    expect(seen.errors).toEqual([]);
  });

  test('on the public twin, a signed-out visitor’s one refresh is refused and the page goes to login, once', async ({
    page,
  }) => {
    const seen = await watch(page);
    const { refreshes } = traffic(page);
    await page.goto('/dashboard-twin');
    await expect(page).toHaveURL(/\/login\?reason=missing&next=%2Fdashboard-twin$/);
    await page.waitForTimeout(SETTLE_MS);
    expect(refreshes.count).toBe(1);
    expect(seen.errors).toEqual([]);
  });

  test('the live demo draws the early refresh as sent before the page was interactive', async ({ page }) => {
    await registerThroughForm(page);
    await page.goto('/demo');
    const early = page.getByTestId('sequence-diagram').locator('[data-arrow="earlyRenewalRequest"]');
    await expect(early).toHaveCount(1);
    await expect(early).toContainText('renewal request with refresh token, sent before the page was interactive');
    await expect(page.getByTestId('sequence-diagram').locator('[data-arrow="renewedToken"]')).toHaveCount(1);
  });
});
