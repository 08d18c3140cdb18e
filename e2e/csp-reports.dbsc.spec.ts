import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/**
 * The violation reaches POST /api/csp-report, in the full Chromium over HTTPS (this project's: Chromium sends
 * Reporting API reports only from a secure page, and no report-uri report once a policy names report-to). The server's
 * copy is read back through the demo's record of what it received (GET /api/demo/csp-reports).
 */

type Received = { id: number; directive: string; blocked: string; documentPath: string; format: string };

test('violations on a signed-in page reach the report endpoint, reduced to directive, keyword and path', async ({
  page,
}) => {
  const received = () =>
    page.evaluate(async () => {
      const response = await fetch('/api/demo/csp-reports', { cache: 'no-store' });
      return ((await response.json()) as { violations: Received[] }).violations;
    });
  await signIn(page, DEMO);
  const before = (await received()).at(-1)?.id ?? 0;
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.append(document.createTextNode('window.__injectedScript = true;'));
    document.body.append(script);
    const html = document.createElement('div');
    html.innerHTML = '<img src="/nothing-here.png" onerror="window.__injectedHandler = true">';
    document.body.append(html);
  });
  await expect
    .poll(async () => (await received()).filter((entry) => entry.id > before), { timeout: 30_000 })
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          directive: 'require-trusted-types-for',
          blocked: 'trusted-types-sink',
          documentPath: '/dashboard',
          format: 'report-to',
        }),
        expect.objectContaining({ directive: 'script-src-attr', blocked: 'inline', documentPath: '/dashboard' }),
      ]),
    );
  expect(await page.evaluate(() => [typeof window.__injectedScript, typeof window.__injectedHandler])).toEqual([
    'undefined',
    'undefined',
  ]);
});

declare global {
  interface Window {
    __injectedScript?: boolean;
    __injectedHandler?: boolean;
  }
}
