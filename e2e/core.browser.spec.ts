import { expect, test, type Page } from '@playwright/test';
import { SHORT_TTL } from './servers';
import { countRequests, DEMO, registerThroughForm, signIn } from './helpers';

test.describe('the core token flow', () => {
  test('signs in through the form and shows the user and the access token claims', async ({ page }) => {
    await signIn(page);
    const claims = page.getByTestId('claims');
    await expect(claims).toContainText('iss');
    await expect(claims).toContainText('jwt-session-web');
    await expect(claims).toContainText('jwt-session-api');
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
    await expect(page.getByTestId('api-result')).toContainText(`"username": "${DEMO.username}"`);
  });

  test('a wrong password is refused with an announced error and no session', async ({ page, context }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill(DEMO.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Wrong username or password' })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    expect(await context.cookies()).toEqual([]);
  });

  test('the sign-in mode is a tab list, so only the submit button is named Sign in', async ({ page }) => {
    await page.goto('/login');
    const signInTab = page.getByRole('tab', { name: 'Sign in' });
    await expect(signInTab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(1);
    await signInTab.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Create account' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'Create account' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: 'Create account' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create account', exact: true })).toHaveCount(1);
    await page.keyboard.press('Home');
    await expect(signInTab).toBeFocused();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(1);
  });

  test('registers a new account and lands on the dashboard', async ({ page }) => {
    await registerThroughForm(page);
  });

  test('a reload restores the session silently from the refresh cookie', async ({ page }) => {
    await signIn(page);
    const logins: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().includes('/login')) logins.push(frame.url());
    });
    const refreshes = countRequests(page, 'POST', '/api/auth/refresh');
    await page.reload();
    await expect(page.getByTestId('username')).toHaveText(DEMO.username);
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(logins).toEqual([]);
    expect(refreshes.count).toBe(1);
  });

  test('keeps the access token out of every storage a script can read', async ({ page, context }) => {
    await signIn(page);
    const exposed = await page.evaluate(() => ({
      local: Object.keys(localStorage).map((key) => localStorage.getItem(key)),
      session: Object.keys(sessionStorage).map((key) => sessionStorage.getItem(key)),
      cookie: document.cookie,
      url: location.href,
    }));
    expect(exposed.local).toEqual([]);
    expect(exposed.session).toEqual([]);
    expect(exposed.cookie).toBe('');
    expect(exposed.url).not.toMatch(/eyJ/);
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['__Host-refresh', '__Host-session-ends']);
    for (const cookie of cookies) {
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      // A seal is base64url pieces joined by '*' and '~'; a JWT in clear would show its dotted base64url JSON.
      expect(cookie.value).not.toMatch(/eyJ[\w-]*\.[\w-]*\./);
    }
  });

  test('logout revokes the session and /dashboard then redirects to login', async ({ page, context }) => {
    await signIn(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?reason=signed_out/);
    await expect(page.getByText('You signed out.')).toBeVisible();
    expect(await context.cookies()).toEqual([]);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
  });

  test('a deleted cookie sends /dashboard to login, and sign-in returns to the page asked for', async ({
    page,
    context,
  }) => {
    await signIn(page);
    await context.clearCookies();
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
    await page.getByLabel('Username').fill(DEMO.username);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test('only same-site relative paths are honoured after login', async ({ page }) => {
    await page.goto('/login?next=https%3A%2F%2Fevil.example%2F');
    await page.getByLabel('Username').fill(DEMO.username);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/localhost:\d+\/dashboard$/);
  });

  test('a signed-in visitor of /login goes to the dashboard', async ({ page }) => {
    await signIn(page);
    await page.goto('/login');
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});

test.describe('expiry, refresh and retry (access tokens last 3 s)', () => {
  test.use({ baseURL: SHORT_TTL.url });

  /** Signs in, then waits until the access token has expired (3 s + 5 s clock-skew leeway), watching the traffic. */
  async function signInAndLetExpire(page: Page) {
    await signIn(page);
    const refreshes = countRequests(page, 'POST', '/api/auth/refresh');
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/me') statuses.push(response.status());
    });
    // A sleep, not a poll: time itself is under test. The server must see the token expired, and nothing outside the
    // page (which holds the token) can say when that is.
    await page.waitForTimeout(9_000);
    return { refreshes, statuses };
  }

  test('a call after expiry succeeds through one refresh the user never sees', async ({ page }) => {
    const { refreshes, statuses } = await signInAndLetExpire(page);
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
    expect(statuses).toEqual([401, 200]);
    expect(refreshes.count).toBe(1);
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test('two calls at once after expiry trigger exactly one refresh', async ({ page }) => {
    const { refreshes, statuses } = await signInAndLetExpire(page);
    await page.getByRole('button', { name: 'Call twice at once' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
    expect(refreshes.count).toBe(1);
    expect(statuses.sort()).toEqual([200, 200, 401, 401]);
  });
});
