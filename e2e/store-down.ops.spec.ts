import { expect } from '@playwright/test';
import { PATHS } from './api';
import { expectError, expectRefreshCookieCleared } from './assertions';
import { test } from './fixtures';
import { now } from './helpers';
import { sealAsServer, signRefreshLike } from './server-secrets';
import { STORE_DOWN } from './servers';

test.use({ baseURL: STORE_DOWN.url });

test.describe('the store is unreachable', () => {
  test('sign-in and registration answer 503 with a short JSON error, never a session', async ({ api }) => {
    // With a DPoP proof, as a browser signs in: the request is good, only the store is missing.
    for (const path of [PATHS.login, PATHS.register]) {
      const response = await api.post(path, { json: { username: 'demo', password: 'demo-password' } });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.json).toMatchObject({ error: 'temporarily_unavailable' });
    }
  });

  test('logout answers 503 and still clears the cookie: this browser is signed out, the revocation did not happen', async ({
    api,
  }) => {
    // A well-formed refresh token of this server (it signs with the shared e2e secret): logout has to reach the store.
    const rt = await signRefreshLike({
      iss: 'http://localhost:3000',
      aud: 'jwt-session-api',
      sub: crypto.randomUUID(),
      sid: crypto.randomUUID(),
      jti: crypto.randomUUID(),
      iat: now(),
      exp: now() + 600,
    });
    const response = await api.logout(await sealAsServer({ rt }));
    expect(response.status, response.text).toBe(503);
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(response.json).toMatchObject({ error: 'temporarily_unavailable' });
    expectRefreshCookieCleared(response);
  });

  test('bad input is still judged before the store is needed', async ({ api }) => {
    const response = await api.post(PATHS.login, { body: '{', headers: { 'content-type': 'application/json' } });
    expectError(response, 400, 'invalid_request');
  });

  test('pages and the edge middleware do not depend on the store', async ({ page }) => {
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('a failed sign-in shows an honest error on the page', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'unavailable' })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });
});
