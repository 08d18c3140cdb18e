import { expect, test } from '@playwright/test';
import { signIn } from './helpers';
import { LIFETIMES } from './servers';

test.describe('the Content-Security-Policy', () => {
  test('every page renders and runs without a single CSP violation', async ({ page }) => {
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.defineProperty(window, '__cspViolations', { value: seen });
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const consoleViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
    });
    const violations = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

    await page.goto('/');
    expect(await violations()).toEqual([]);
    await signIn(page);
    expect(await violations()).toEqual([]);
    for (const path of ['/dashboard', '/demo', '/sessions']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      expect(await violations(), path).toEqual([]);
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
    expect(await violations()).toEqual([]);
    expect(consoleViolations).toEqual([]);
  });
});

test.describe('demo controls turned off (DEMO_CONTROLS=false)', () => {
  test.use({ baseURL: LIFETIMES.url });

  test('the demo page shows no controls, nor the device panel, and the demo endpoints answer 404', async ({ page }) => {
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live demo' }).click();
    await expect(page).toHaveURL(/\/demo$/);
    await expect(page.getByTestId('sequence-diagram')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replay an old refresh token' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: '10 s', exact: true })).toHaveCount(0);
    const replay = await page.request.post('/api/demo/replay', { headers: { 'content-type': 'application/json' } });
    expect(replay.status()).toBe(404);
    expect(await replay.json()).toMatchObject({ error: 'not_found' });
    // Off means off, whatever the request carries: no token and no cookie is a 404 too, not a 401.
    const anonymous = await page.request.post('/api/demo/access-ttl', {
      headers: { 'content-type': 'application/json', cookie: '' },
    });
    expect(anonymous.status()).toBe(404);
    const otherDevice = await page.request.post('/api/demo/other-device', {
      headers: { 'content-type': 'application/json' },
    });
    expect(otherDevice.status()).toBe(404);
    await expect(page.getByRole('button', { name: 'Use my refresh cookie from another device' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Use my access token without my key' })).toHaveCount(0);
    // The device panel reads a demo endpoint too: the page leaves it out rather than ask.
    await expect(page.getByTestId('token-inspector')).toBeVisible();
    await expect(page.getByTestId('device-inspector')).toHaveCount(0);
    const device = await page.request.get('/api/demo/device');
    expect(device.status()).toBe(404);
  });
});
