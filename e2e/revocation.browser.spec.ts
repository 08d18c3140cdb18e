import { expect, test } from '@playwright/test';
import { registerThroughForm, signIn, type PageLang } from './helpers';

const WORDS: Record<PageLang, { locale: string; legend: string; watch: string; revoked: string }> = {
  en: {
    locale: 'en-US',
    legend: 'Revoked within a second',
    watch: 'Call every 0.25 s',
    revoked: 'Your session was revoked from another device.',
  },
  ko: {
    locale: 'ko-KR',
    legend: '1초 이내 폐기',
    watch: '0.25초마다 호출',
    revoked: '다른 기기에서 세션이 폐기되었습니다.',
  },
};

const isPath = (url: string, path: string) => new URL(url).pathname === path;

for (const lang of ['en', 'ko'] as const) {
  test(`the demo shows a session signed out from another device refused within a second (${lang})`, async ({
    browser,
    page: otherDevice,
  }) => {
    const words = WORDS[lang];
    const credentials = await registerThroughForm(otherDevice);
    const context = await browser.newContext({ locale: words.locale });
    const page = await context.newPage();
    await signIn(page, credentials, lang);
    await page.goto('/demo');
    await expect(page.getByTestId('username')).toHaveText(credentials.username);
    const watch = page.getByRole('group', { name: words.legend });
    await watch.getByRole('switch', { name: words.watch }).check();
    await expect(page.getByTestId('revocation-watch')).not.toBeEmpty();

    await otherDevice.goto('/sessions');
    const refused = page
      .waitForResponse((response) => isPath(response.url(), '/api/me') && response.status() === 401)
      .then(() => Date.now());
    const revoked = otherDevice
      .waitForResponse((response) => response.request().method() === 'DELETE' && response.status() === 204)
      .then(() => Date.now());
    await otherDevice.getByTestId('sessions').locator('li:not([data-current])').getByRole('button').click();

    expect((await refused) - (await revoked), 'refused within a second of the revocation').toBeLessThan(1_000);
    await expect(page).toHaveURL(/\/login\?reason=revoked/);
    await expect(page.getByText(words.revoked)).toBeVisible();
    await context.close();
  });
}
