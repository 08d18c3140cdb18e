import { expect, test, type Page } from '@playwright/test';
import { DEMO, registerThroughForm, signIn, type PageLang } from './helpers';
import { SHORT_TTL } from './servers';

/** Access tokens chosen through the demo control last 10 s; the server accepts them 5 s longer (clock-skew leeway). */
const SHORT_LIFETIME_EXPIRED_MS = 16_000;

const NAV_WORDS: Record<PageLang, { nav: string; demo: string }> = {
  en: { nav: 'Main', demo: 'Live demo' },
  ko: { nav: '주 메뉴', demo: '라이브 데모' },
};

/** Goes from the dashboard to the demo by its nav link: a client-side navigation, so the sign-in is still in memory. */
async function openDemo(page: Page, lang: PageLang = 'en', username = DEMO.username): Promise<void> {
  const words = NAV_WORDS[lang];
  await page.getByRole('navigation', { name: words.nav }).getByRole('link', { name: words.demo }).click();
  await expect(page).toHaveURL(/\/demo$/);
  await expect(page.getByTestId('username')).toHaveText(username);
}

const diagram = (page: Page) => page.getByTestId('sequence-diagram');

/** The diagram's arrows and notes, top to bottom, by what they say (data-arrow). */
const arrowLabels = (page: Page) =>
  diagram(page)
    .locator('[data-arrow]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-arrow')));

async function chooseTenSecondTokens(page: Page): Promise<void> {
  await page.getByRole('button', { name: '10 s', exact: true }).click();
  await expect(page.getByTestId('lifetime-status')).toHaveText('New access token issued, lifetime 10 s.');
  await expect(page.getByTestId('token-inspector')).toContainText('lifetime 10 s');
}

/** With a 10 s token: one call that expires, renews and retries. */
async function callAfterExpiry(page: Page): Promise<void> {
  // A sleep, not a poll: time itself is under test (the server must see the page's token expired).
  await page.waitForTimeout(SHORT_LIFETIME_EXPIRED_MS);
  await page.getByRole('button', { name: 'Call the API' }).click();
  await expect(page.getByTestId('call-status')).toHaveText('200');
}

test.describe('the live demo', () => {
  test('draws the sign-in as a token request and an issued token, with details on demand', async ({ page }) => {
    await signIn(page);
    await openDemo(page);
    await expect.poll(() => arrowLabels(page)).toEqual(['tokenRequest', 'checkProofBind', 'tokenIssued']);
    await expect(diagram(page).locator('[data-arrow="tokenRequest"]').getByTestId('proof')).toContainText(
      'POST /api/auth/login',
    );
    await expect(diagram(page).locator('[data-arrow="checkProofBind"]')).toHaveAttribute('data-verdict', 'ok');
    const issued = diagram(page).locator('[data-arrow="tokenIssued"]');
    await expect(issued).toHaveAttribute('data-status', '200');
    await expect(issued).toContainText('token issued');
    await expect(issued).toContainText('aud [jwt-session-web, jwt-session-api]');

    const arrow = issued.getByRole('button');
    await arrow.focus();
    await page.keyboard.press('Enter');
    await expect(arrow).toHaveAttribute('aria-expanded', 'true');
    const details = issued.locator('dl');
    await expect(details).toContainText('POST /api/auth/login');
    await expect(details).toContainText('none yet — the answer sets it in an httpOnly cookie');
    await expect(details.locator('code.print')).toHaveText(/^[0-9a-f]{8}$/);
  });

  test('the inspector shows the claims of the token the API accepted, no refresh token, and a session not bound to the device', async ({
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    const [response] = await Promise.all([
      page.waitForResponse((res) => new URL(res.url()).pathname === '/api/me'),
      page.getByRole('button', { name: 'Call the API' }).click(),
    ]);
    expect(response.status()).toBe(200);
    const { token } = (await response.json()) as { token: { claims: Record<string, unknown> } };
    const inspector = page.getByTestId('token-inspector');
    for (const name of ['jti', 'sid', 'sub', 'iss'] as const) {
      await expect(inspector.getByTestId(`claim-${name}`)).toHaveText(String(token.claims[name]));
    }
    for (const name of ['exp', 'iat', 'nbf', 'aud'] as const) {
      await expect(inspector.getByTestId(`claim-${name}`)).toHaveText(JSON.stringify(token.claims[name]));
    }
    await expect(inspector.getByTestId('header-typ')).toHaveText('at+jwt');
    await expect(inspector.getByTestId('header-alg')).toHaveText('ES256');
    await expect(inspector.getByTestId('document-cookie')).toHaveText('""');
    await expect(inspector.getByTestId('refresh-lifetime')).toContainText('Lifetime reported by the server');
    // The headless shell has no DBSC: the server offered it at sign-in, and the browser did not register.
    await expect(inspector.getByTestId('device-status')).toHaveText(
      'Not device-bound: this browser did not register a device key (no DBSC support, or not over HTTPS).',
    );
    await expect(inspector.getByTestId('device-renewal')).toHaveCount(0);
  });

  test('a 10 s token expires: the next call shows expired error, renewal, renewed token and the retry’s 200 (and the README’s screenshots of it)', async ({
    page,
  }) => {
    // Tall enough for the whole flow in the diagram's scroll box.
    await page.setViewportSize({ width: 1280, height: 1600 });
    await signIn(page);
    await openDemo(page);
    await chooseTenSecondTokens(page);
    await callAfterExpiry(page);

    const labels = await arrowLabels(page);
    expect(labels.slice(labels.indexOf('apiCall'))).toEqual([
      'apiCall',
      'checkProofIdExp',
      'expiredError',
      'renewalRequest',
      'checkSessionKey',
      'renewedToken',
      'retryCall',
      'checkProofIdExp',
      'result',
    ]);
    await expect(diagram(page).locator('[data-arrow="checkProofIdExp"][data-verdict="token_expired"]')).toHaveCount(1);
    await expect(diagram(page).locator('[data-arrow="checkSessionKey"]').last()).toHaveAttribute('data-verdict', 'ok');
    await expect(diagram(page).locator('[data-arrow="expiredError"]')).toHaveAttribute('data-status', '401');
    await expect(diagram(page).locator('[data-arrow="renewedToken"]')).toHaveAttribute('data-status', '200');
    await expect(diagram(page).locator('[data-arrow="result"]')).toHaveAttribute('data-status', '200');
    await expect(page.getByTestId('announcer')).toHaveText('Access token renewed.');
    await expect(page.getByTestId('token-inspector')).toContainText('lifetime 10 s');
    // The refresh rotated the cookie: the old token is a harmless retry for the grace window, and the control says so
    // at once instead of letting the server refuse it.
    await expect(page.getByTestId('replay-wait')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replay an old refresh token' })).toBeDisabled();

    await diagram(page).locator('[data-arrow="renewalRequest"]').getByRole('button').click();
    await page.mouse.move(0, 0);
    // `npm run screenshots` refreshes the README's images; a plain test run keeps its pictures in test-results.
    const target = (name: string) =>
      process.env.UPDATE_SCREENSHOTS ? `docs/screenshots/${name}` : test.info().outputPath(name);
    await diagram(page).screenshot({ path: target('demo-diagram.png'), animations: 'disabled' });
    await page
      .getByTestId('token-inspector')
      .screenshot({ path: target('demo-inspector.png'), animations: 'disabled' });
  });

  test('the inspector shows the key the token is bound to, computed in the page, whose private half the page cannot export', async ({
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    const inspector = page.getByTestId('token-inspector');
    const jkt = await inspector.getByTestId('key-cnf-jkt').textContent();
    expect(jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(inspector.getByTestId('claim-cnf')).toHaveText(JSON.stringify({ jkt }));
    await expect(inspector.getByTestId('key-thumbprint')).toHaveText(jkt!);
    await expect(inspector.getByTestId('key-match')).toHaveText('match: the token is bound to this browser’s key');
    await expect(inspector.getByTestId('key-private')).toHaveText('ECDSA P-256 · extractable: false · usages: sign');
    await inspector.getByRole('button', { name: 'Try to export the private key' }).click();
    await expect(inspector.getByTestId('key-export')).toContainText('Refused by the browser: InvalidAccessError');
  });

  test('each arrow names its proof: jti, htm and path, and an ath that is the fingerprint of the token it carries', async ({
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('call-status')).toHaveText('200');
    const call = diagram(page).locator('[data-arrow="apiCall"]').last();
    const proof = call.getByTestId('proof');
    await expect(proof).toContainText(/^proof [A-Za-z0-9_-]{8} · GET \/api\/me · ath [0-9a-f]{8}$/);
    const tokenPrint = await call.locator('.seq-sub > code.print').textContent();
    expect(tokenPrint).toMatch(/^[0-9a-f]{8}$/);
    await expect(proof.locator('code.print')).toHaveText(tokenPrint!);
    await expect(diagram(page).locator('[data-arrow="checkProofIdExp"]').last()).toHaveAttribute('data-verdict', 'ok');

    await call.getByRole('button').click();
    const details = call.locator('dl');
    await expect(details).toContainText(/jti [A-Za-z0-9_-]{8,}/);
    await expect(details).toContainText(/GET http:\/\/localhost:\d+\/api\/me/);
    await expect(details).toContainText('Server’s check');
    // The proof's key is this browser's: its thumbprint is the token's cnf.jkt.
    const jkt = await page.getByTestId('key-cnf-jkt').textContent();
    await expect(details.getByText(jkt!, { exact: true })).toBeVisible();
  });

  test('my access token without my key is refused, with another key’s proof and as a Bearer token; the session goes on', async ({
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    await page.getByRole('button', { name: 'Use my access token without my key' }).click();
    await expect(page.getByTestId('stolen-with-proof')).toHaveText('refused: 401 invalid_dpop_proof');
    await expect(page.getByTestId('stolen-as-bearer')).toHaveText('refused: 401 invalid_token');

    await expect(diagram(page).locator('[data-arrow="foreignProofCall"]').getByTestId('proof')).toContainText(
      'GET /api/me · ath',
    );
    await expect(diagram(page).locator('[data-arrow="checkProofIdExp"]').last()).toHaveAttribute(
      'data-verdict',
      'invalid_dpop_proof',
    );
    await expect(diagram(page).locator('[data-arrow="proofRefused"]')).toHaveAttribute('data-status', '401');
    await expect(diagram(page).locator('[data-arrow="bearerCall"]')).toContainText('Bearer');
    await expect(diagram(page).locator('[data-arrow="checkIdExp"]')).toHaveAttribute('data-verdict', 'invalid_token');

    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('call-status')).toHaveText('200');
    await expect(page).toHaveURL(/\/demo$/);
  });

  test('my refresh cookie from another device is refused (wrong_key); the session goes on, and the Sessions page shows the attempt', async ({
    page,
  }) => {
    const credentials = await registerThroughForm(page);
    await openDemo(page, 'en', credentials.username);
    await page.getByRole('button', { name: 'Use my refresh cookie from another device' }).click();
    await expect(page.getByTestId('other-device-status')).toContainText(
      'Refused: 401 invalid_grant (wrong_key). The session was not touched',
    );
    const check = diagram(page).locator('[data-arrow="otherDeviceCheck"]');
    await expect(check).toHaveAttribute('data-verdict', 'wrong_key');
    await expect(diagram(page).locator('[data-arrow="keyRefused"]')).toHaveAttribute('data-status', '401');
    await expect(diagram(page).locator('[data-arrow="keyRefused"]')).toContainText('invalid_grant · wrong_key');

    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('call-status')).toHaveText('200');
    await page.getByRole('link', { name: 'See it on the Sessions page' }).click();
    await expect(page).toHaveURL(/\/sessions$/);
    const current = page.getByTestId('sessions').getByRole('listitem').filter({ hasText: 'this session' });
    await expect(current).toContainText('bound to its browser key');
    await expect(current.getByTestId('refused-attempts')).toContainText(
      "1 attempt to use this session's cookie without its key refused",
    );
    // The refresh cookie itself still works with this browser's key: a reload refreshes and stays signed in.
    await page.reload();
    await expect(page).toHaveURL(/\/sessions$/);
    await expect(current.getByTestId('refused-attempts')).toBeVisible();
  });

  test('calling every 4 s keeps a 10 s token alive: results come back with a new exp', async ({ page }) => {
    await signIn(page);
    await openDemo(page);
    await chooseTenSecondTokens(page);
    await page.getByRole('switch', { name: 'Call every 4 s' }).check();
    // Past half its lifetime (5 s) a call's answer carries a renewed token: the second timed call, at 8 s, gets one.
    await expect(diagram(page).locator('[data-arrow="resultNewExp"]').first()).toBeVisible({ timeout: 12_000 });
    await expect(page.getByTestId('call-result')).toContainText('token renewed, new exp');
    await page.getByRole('switch', { name: 'Call every 4 s' }).uncheck();
    expect(await arrowLabels(page)).not.toContain('expiredError');
  });

  test('a 404 from a demo endpoint hides the demo controls', async ({ page }) => {
    await page.route('**/api/demo/access-ttl', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: 'not_found' }) }),
    );
    await signIn(page);
    await openDemo(page);
    await page.getByRole('button', { name: '10 s', exact: true }).click();
    await expect(page.getByText('The server answered 404: demo controls are turned off.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replay an old refresh token' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Call the API' })).toBeEnabled();
    await expect(diagram(page).locator('[data-arrow="demoOff"]')).toHaveAttribute('data-status', '404');
  });

  test('replaying an old refresh token fires reuse detection and returns to login with the reason', async ({
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    const replay = page.getByRole('button', { name: 'Replay an old refresh token' });
    await replay.click();
    // No rotation yet: the page renews once, and the token it replaced is harmless for the grace window (10 s).
    await expect(page.getByTestId('replay-status')).toContainText('had no old refresh token yet');
    await expect(page.getByTestId('replay-wait')).toBeVisible();
    await expect(replay).toBeDisabled();
    await expect(replay).toBeEnabled({ timeout: 15_000 });
    await replay.click();

    const reuse = diagram(page).locator('[data-arrow="reuseDetected"]');
    await expect(reuse).toHaveAttribute('data-status', '401');
    await expect(reuse).toContainText('invalid_grant · reused');
    await expect(page.getByRole('alert').filter({ hasText: 'Reuse detected' })).toBeVisible();
    await expect(page).toHaveURL(/\/login\?reason=reused/);
    await expect(page.getByText('a stolen or replayed token was detected')).toBeVisible();
  });

  test('explains itself in Korean by browser language, and in English by choice without losing its diagram', async ({
    browser,
  }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await signIn(page, DEMO, 'ko');
    await openDemo(page, 'ko');
    const demo = page.locator('.demo');
    await expect(demo).toHaveAttribute('lang', 'ko');
    await expect(diagram(page).getByRole('heading')).toHaveText('시퀀스 다이어그램');
    await expect(diagram(page).locator('[data-arrow="tokenIssued"]')).toContainText('토큰 발급');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(demo).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(diagram(page).getByRole('heading')).toHaveText('Sequence diagram');
    await expect(diagram(page).locator('[data-arrow="tokenIssued"]')).toContainText('token issued');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live demo' })).toBeVisible();
    await context.close();
  });

  test('a Korean reader is served Korean from the first byte, through reuse detection to the reason on the login page', async ({
    browser,
  }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    // The server's HTML, before any script runs: no flash of English.
    const html = await (
      await page.request.get('/login', { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' } })
    ).text();
    expect(html).toContain('<html lang="ko"');
    expect(html).toContain('<title>로그인 · JWT 세션 레퍼런스</title>');

    await signIn(page, DEMO, 'ko');
    await openDemo(page, 'ko');
    const replay = page.getByRole('button', { name: '이전 리프레시 토큰 재전송' });
    await replay.click();
    await expect(page.getByTestId('replay-status')).toContainText('아직 이전 리프레시 토큰이 없어서');
    await expect(replay).toBeEnabled({ timeout: 15_000 });
    await replay.click();
    await expect(diagram(page).locator('[data-arrow="reuseDetected"]')).toContainText('재사용 감지: 세션 폐기');
    await expect(page).toHaveURL(/\/login\?reason=reused/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('로그인');
    await expect(page.getByText('탈취되었거나 재전송된 토큰이 감지되어 세션이 종료되었습니다.')).toBeVisible();
    await expect(page).toHaveTitle('로그인 · JWT 세션 레퍼런스');

    // An explicit choice is remembered over the browser's language.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByText('a stolen or replayed token was detected')).toBeVisible();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(1);
    await context.close();
  });
});

test.describe('the live demo across tabs (access tokens last 3 s)', () => {
  test.use({ baseURL: SHORT_TTL.url });

  test('one tab refreshes; the other draws the token it was handed, marked with the tab it came from', async ({
    context,
    page,
  }) => {
    await signIn(page);
    await openDemo(page);
    const other = await context.newPage();
    await other.goto('/dashboard');
    await expect(other.getByTestId('username')).toHaveText(DEMO.username);
    // A sleep, not a poll: time itself is under test (3 s tokens, and the server's 5 s clock-skew leeway, run out).
    await page.waitForTimeout(9_000);
    await other.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(other.getByTestId('api-status')).toHaveText('200');
    const handedOver = diagram(page).locator('[data-arrow="peerToken"]');
    await expect(handedOver.last()).toBeVisible();
    await expect(handedOver.last().getByTestId('other-tab')).toBeVisible();
    // This tab made no refresh of its own for it.
    expect(await arrowLabels(page)).not.toContain('renewalRequest');
  });
});
