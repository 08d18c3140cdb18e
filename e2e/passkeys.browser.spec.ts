import { expect, test, type Page } from '@playwright/test';
import { registerThroughForm, uniqueName } from './helpers';

/**
 * Passkeys in Chromium, with its virtual authenticator over CDP (a platform authenticator with resident keys and user
 * verification that approves every prompt): add one on the Sessions page, sign out, sign in with it without typing,
 * the session bound to the browser key with a passkey's amr, restored on reload; delete it; an account made with a
 * passkey only; the same in Korean.
 */

/**
 * Gives the page's browser a virtual platform authenticator (ctap2, internal, resident keys, user verified). It answers
 * a conditional request (the username field's autofill) by itself, as if the person picked the passkey there: unless
 * `autofill`, the page is told conditional mediation is unavailable, so that only the button signs in.
 */
async function addVirtualAuthenticator(page: Page, { autofill = false } = {}): Promise<void> {
  if (!autofill) {
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** The demo's decoded access token: its claims, and whether its cnf.jkt is this browser's key. */
async function tokenOnDemo(page: Page): Promise<Record<string, unknown>> {
  await page.goto('/demo');
  const inspector = page.getByTestId('token-inspector');
  await expect(inspector.getByTestId('key-match')).toHaveText('match: the token is bound to this browser’s key');
  return JSON.parse((await inspector.getByTestId('token-claims').textContent()) ?? '{}') as Record<string, unknown>;
}

/** Signs out from the dashboard (its button is named `name`). */
async function signOut(page: Page, name = 'Sign out'): Promise<void> {
  await page.goto('/dashboard');
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

test.describe('passkeys in the browser', () => {
  test('add a passkey, sign out, sign in with it without typing, reload, then delete it', async ({ page }) => {
    await addVirtualAuthenticator(page);
    const { username, password } = await registerThroughForm(page);

    await page.goto('/sessions');
    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Current password').fill(password);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(passkeys.getByTestId('passkey')).toHaveCount(1);
    // Named after the browser and platform (the User-Agent's: Playwright's Desktop Chrome is Chrome on Windows).
    await expect(passkeys.getByTestId('passkey')).toContainText(/Chrome on \w+/);

    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('username')).toHaveText(username);

    const claims = await tokenOnDemo(page);
    expect(claims.amr).toEqual(['hwk', 'user']);
    expect(claims.auth_time).toEqual(expect.any(Number));
    await page.reload();
    await expect(page.getByTestId('username')).toHaveText(username);
    expect((await tokenOnDemo(page)).auth_time).toBe(claims.auth_time);

    await page.goto('/sessions');
    await expect(page.getByTestId('sessions').locator('[data-current]')).toContainText('Signed in with a passkey');
    await passkeys.getByRole('button', { name: 'Rename' }).click();
    await passkeys.getByLabel('Name').fill('My laptop');
    await passkeys.getByRole('button', { name: 'Save' }).click();
    await expect(passkeys.getByTestId('passkey')).toContainText('My laptop');
    await passkeys.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByLabel('Current password').fill(password);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(passkeys.getByTestId('passkey')).toHaveCount(0);
    await expect(passkeys.getByText('No passkeys yet.')).toBeVisible();
  });

  test('the username field offers the passkey (conditional mediation): picked there, it signs in without a click', async ({
    page,
  }) => {
    await addVirtualAuthenticator(page, { autofill: true });
    const username = uniqueName('pkauto').toLowerCase();
    await page.goto('/login');
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Create account with a passkey' }).click();
    await expect(page.getByTestId('username')).toHaveText(username);
    await page.goto('/dashboard');
    await Promise.all([
      page.waitForURL(/\/login/),
      page.getByRole('button', { name: 'Sign out', exact: true }).click(),
    ]);
    // The login page's autofill request is answered by the authenticator: nothing is clicked or typed.
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('username')).toHaveText(username);
    expect((await tokenOnDemo(page)).amr).toEqual(['hwk', 'user']);
  });

  test('cancelling the browser prompt leaves the form as it was, without an error', async ({ page }) => {
    // No authenticator at all: the browser's prompt cannot be answered and ends as NotAllowedError.
    await page.goto('/login');
    await page.evaluate(() => {
      navigator.credentials.get = () =>
        Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
    });
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeEnabled();
    await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
    await expect(page).toHaveURL(/\/login/);
  });

  test('an account made with a passkey only: no password, and its last passkey cannot be deleted', async ({ page }) => {
    await addVirtualAuthenticator(page);
    const username = uniqueName('pkonly').toLowerCase();
    await page.goto('/login');
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Create account with a passkey' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('username')).toHaveText(username);

    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByTestId('username')).toHaveText(username);

    await page.goto('/sessions');
    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await expect(passkeys.getByTestId('passkey')).toHaveCount(1);
    await passkeys.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Current password')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Confirm with a passkey' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'no password' })).toBeVisible();
    await expect(passkeys.getByTestId('passkey')).toHaveCount(1);
  });

  test('in Korean: 패스키로 계정 만들기, then 패스키로 로그인', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await addVirtualAuthenticator(page);
    const username = uniqueName('pkko').toLowerCase();
    await page.goto('/login');
    await page.getByRole('tab', { name: '계정 만들기' }).click();
    await page.getByLabel('아이디').fill(username);
    await page.getByRole('button', { name: '패스키로 계정 만들기' }).click();
    await expect(page.getByTestId('username')).toHaveText(username);
    await signOut(page, '로그아웃');
    await page.getByRole('button', { name: '패스키로 로그인' }).click();
    await expect(page.getByTestId('username')).toHaveText(username);
    await page.goto('/sessions');
    await expect(page.getByRole('region', { name: '패스키' }).getByTestId('passkey')).toHaveCount(1);
    await expect(page.getByTestId('sessions').locator('[data-current]')).toContainText('패스키로 로그인함');
    await context.close();
  });
});
