import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { DBSC_COOKIE_TTL, DBSC_SERVER } from './dbsc';
import { registerThroughForm } from './helpers';

/**
 * Device Bound Session Credentials in a real Chromium (a software key on Linux), over HTTPS through the TLS front.
 * What the browser does by itself — registering, renewing the bound cookie — is seen where it lands: in the server's
 * store and in what the pages let through.
 */

const BOUND = '__Host-bound';
const REFRESH = '__Host-refresh';

function events(sessionKind: string): { session_id: string; kind: string }[] {
  const db = new SQLite(DBSC_SERVER.env.DATABASE_PATH!, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT session_id, kind FROM security_events WHERE kind = ? ORDER BY created_at')
      .all(sessionKind) as never;
  } finally {
    db.close();
  }
}

function sessionRow(id: string): { dbsc_jwk: string | null; revoked_at: number | null } | undefined {
  const db = new SQLite(DBSC_SERVER.env.DATABASE_PATH!, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT dbsc_jwk, revoked_at FROM sessions WHERE id = ?').get(id) as never;
  } finally {
    db.close();
  }
}

/** When the server recorded a session's security events of a kind (epoch ms), oldest first. */
function eventTimes(sid: string, kind: string): number[] {
  const db = new SQLite(DBSC_SERVER.env.DATABASE_PATH!, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT created_at FROM security_events WHERE session_id = ? AND kind = ? ORDER BY created_at')
      .all(sid, kind);
    return (rows as { created_at: number }[]).map((row) => Number(row.created_at));
  } finally {
    db.close();
  }
}

const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name);

/** Signs up through the form and waits for the browser to register its device key; returns the session id. */
async function signUpBound(page: Page): Promise<string> {
  const { username } = await registerThroughForm(page);
  await expect.poll(async () => (await cookie(page.context(), BOUND))?.value ?? '', { timeout: 10_000 }).not.toBe('');
  const db = new SQLite(DBSC_SERVER.env.DATABASE_PATH!, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?')
      .get(username.toLowerCase());
    return (row as { id: string }).id;
  } finally {
    db.close();
  }
}

test.describe('device-bound sessions (DBSC)', () => {
  test('the browser registers a device key at sign-in; the Sessions page says the session is device-bound', async ({
    page,
  }) => {
    const sid = await signUpBound(page);
    expect(sessionRow(sid)?.dbsc_jwk).toContain('"kty":"EC"');
    expect(events('dbsc_registered').map((event) => event.session_id)).toContain(sid);
    await page.goto('/sessions');
    await expect(page.getByTestId('device-bound')).toHaveText('bound to its device');
    // The live demo's report of the browser's own DBSC requests (the page cannot see them).
    const view = await page.evaluate(async () => {
      const { accessToken } = (await (await fetch('/api/auth/refresh', { method: 'POST' })).json()) as {
        accessToken: string;
      };
      return (await fetch('/api/demo/device', { headers: { authorization: `Bearer ${accessToken}` } })).json();
    });
    expect(view).toMatchObject({
      offered: true,
      deviceBound: true,
      exchanges: expect.arrayContaining([expect.objectContaining({ kind: 'registered' })]),
    });
    expect(view.boundCookieExpiresAt - view.provedAt).toBe(DBSC_COOKIE_TTL * 1000);
  });

  test('the live demo says the session is device-bound and when the bound cookie renews, and draws the browser’s own DBSC requests', async ({
    page,
  }) => {
    const sid = await signUpBound(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live demo' }).click();
    await expect(page).toHaveURL(/\/demo$/);
    const device = page.getByTestId('device-inspector');
    await expect(device.getByTestId('device-status')).toHaveText(
      'Device-bound: the refresh session is bound to this device’s key (DBSC).',
    );
    // An 8 s bound cookie is inside Chrome's 120 s renewal margin from the start: its renewal is always due.
    await expect(device.getByTestId('device-renewal')).toHaveText(
      /^Next renewal of the bound cookie: due since \d{1,2}:\d{2}:\d{2}\s?[AP]M; the browser renews it with its next request to this site\.$/,
    );

    const diagram = page.getByTestId('sequence-diagram');
    const registered = diagram.locator('[data-arrow="dbscRegistered"]');
    await expect(registered).toHaveCount(1);
    await expect(registered).toContainText('browser (DBSC) → registers its device key: bound cookie issued');
    await expect(registered).toContainText('POST');
    await expect(registered).toContainText('/api/auth/dbsc/register');
    await expect(registered.getByTestId('reported-by-server')).toHaveText('reported by the server');
    // Drawn at the time the server recorded the registration.
    const [registeredAt] = eventTimes(sid, 'dbsc_registered');
    await expect(registered.locator('time')).toHaveAttribute('datetime', new Date(registeredAt!).toISOString());
    await expect(diagram).toContainText('the server records them');

    // Past the bound cookie's 8 s the browser renews it before a request of the page (its polls every 5 s suffice), and
    // the next poll reports the renewal.
    const refreshed = diagram.locator('[data-arrow="dbscRefreshed"]');
    await expect(refreshed.first()).toBeVisible({ timeout: 25_000 });
    await expect(refreshed.first()).toContainText('/api/auth/dbsc/refresh');
    const refreshedAt = eventTimes(sid, 'dbsc_refreshed');
    expect(refreshedAt[0]).toBeGreaterThan(registeredAt!);
    await expect(refreshed.first().locator('time')).toHaveAttribute(
      'datetime',
      new Date(refreshedAt[0]!).toISOString(),
    );
    // Each reported request is drawn once, however many polls repeat it: two more polls answer first.
    for (let poll = 0; poll < 2; poll++)
      await page.waitForResponse((response) => new URL(response.url()).pathname === '/api/demo/device');
    await expect(registered).toHaveCount(1);
    const drawn = await refreshed
      .locator('time')
      .evaluateAll((times) => times.map((time) => time.getAttribute('datetime')));
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  test('when the bound cookie expires the browser renews it by itself, and the user notices nothing', async ({
    page,
  }) => {
    const sid = await signUpBound(page);
    const first = (await cookie(page.context(), BOUND))!.value;
    // Outlive the bound cookie: the browser drops it, and renews it (proving its key) before the next request. A sleep,
    // not a poll: time itself is under test, and any request made to find out would have the browser renew it early.
    await page.waitForTimeout((DBSC_COOKIE_TTL + 1) * 1000);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('username')).toBeVisible();
    expect((await cookie(page.context(), BOUND))?.value).not.toBe(first);
    expect(events('dbsc_refreshed').filter((event) => event.session_id === sid).length).toBeGreaterThan(0);
  });

  test('a copy of the cookies without the device key works only until the bound cookie expires', async ({
    page,
    browser,
  }) => {
    const sid = await signUpBound(page);
    const thief = await browser.newContext({ baseURL: DBSC_SERVER.url, ignoreHTTPSErrors: true });
    await thief.addCookies((await page.context().cookies()).filter((c) => [BOUND, REFRESH].includes(c.name)));
    // The page guard lets the copy through while the copied bound cookie lasts…
    const before = await thief.request.get('/dashboard', { maxRedirects: 0 });
    expect(before.status()).toBe(200);
    // …but the thief's browser has no DBSC session: nothing renews the copy, and then neither pages nor refresh work.
    let after = before;
    await expect
      .poll(async () => (after = await thief.request.get('/dashboard', { maxRedirects: 0 })).status(), {
        timeout: (DBSC_COOKIE_TTL + 5) * 1000,
      })
      .toBe(307);
    expect(after.headers().location).toContain('/login');
    const refresh = await thief.request.post('/api/auth/refresh');
    expect(refresh.status()).toBe(401);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant', reason: 'wrong_device' });
    await thief.close();
    // The owner's session was never touched, and its browser goes on renewing the bound cookie.
    expect(sessionRow(sid)?.revoked_at).toBeNull();
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('username')).toBeVisible();
  });

  test('signing out ends the DBSC session too', async ({ page }) => {
    const sid = await signUpBound(page);
    await page.goto('/dashboard');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    // The next request in scope finds no bound cookie: the browser asks to renew it, hears "continue: false", and ends
    // its DBSC session.
    await page.goto('/login');
    await expect
      .poll(() => events('dbsc_ended').some((event) => event.session_id === sid), { timeout: 10_000 })
      .toBe(true);
    expect(sessionRow(sid)?.revoked_at).not.toBeNull();
  });
});
