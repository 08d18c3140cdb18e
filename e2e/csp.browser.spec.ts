import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/**
 * The page policy against injected script, in Chromium: an attacker's inline script, event handler and `javascript:`
 * link added to a signed-in page do not run, and the browser says why (a securitypolicyviolation each). That the reports
 * reach the server is csp-reports.dbsc.spec.ts's (Chromium sends Reporting API reports over HTTPS only).
 */

/** Records every securitypolicyviolation in the page, from its first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__violations', { value: seen });
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

const injected = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      script: w.__injectedScript,
      parsed: w.__injectedParsed,
      handler: w.__injectedHandler,
      link: w.__injectedLink,
    };
  });

test.describe('injected script under the page policy', () => {
  test('an inline script, an onerror handler and a javascript: link added to a signed-in page do not run', async ({
    page,
  }) => {
    const violations = await watchViolations(page);
    await signIn(page);
    await page.evaluate(() => {
      // A script element with inline text, as script would add it (its text through a text node: assigning it throws).
      const script = document.createElement('script');
      script.append(document.createTextNode('window.__injectedScript = true;'));
      document.body.append(script);
      // Markup, as an injected fragment of HTML would bring it.
      const html = document.createElement('div');
      html.innerHTML =
        '<img src="/nothing-here.png" onerror="window.__injectedHandler = true">' +
        '<iframe srcdoc="<script>parent.__injectedParsed = true</script>"></iframe>' +
        '<a id="injected-link" href="javascript:window.__injectedLink = true">link</a>';
      document.body.append(html);
    });
    await page.locator('#injected-link').click();
    await expect
      .poll(async () => (await violations()).map((violation) => violation.split(' ')[0]))
      .toEqual(expect.arrayContaining(['require-trusted-types-for', 'script-src-attr', 'script-src-elem']));
    expect(await injected(page)).toEqual({});
    expect(await violations()).toEqual(
      expect.arrayContaining(['require-trusted-types-for trusted-types-sink', 'script-src-attr inline']),
    );
    // The page's own scripts still run: it is signed in and calls the API.
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect(page.getByTestId('api-status')).toHaveText('200');
  });

  test('the live demo injects a script: it does not run, and the browser reports the CSP violation', async ({
    page,
  }) => {
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Live demo' }).click();
    const panel = page.getByTestId('injection-panel');
    await panel.getByRole('button', { name: 'Inject a script into this page' }).click();
    await expect(panel.getByTestId('injection-ran')).toHaveText('did not run');
    await expect(panel.getByTestId('injection-event')).toHaveText('require-trusted-types-for · trusted-types-sink');
    expect(await page.evaluate(() => '__demoInjectedScriptRan' in window)).toBe(false);
  });

  test('the demo says it in Korean', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await signIn(page, DEMO, 'ko');
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '라이브 데모' }).click();
    const panel = page.getByTestId('injection-panel');
    await expect(panel.getByRole('heading', { name: '주입된 스크립트와 콘텐츠 보안 정책(CSP) 위반' })).toBeVisible();
    await panel.getByRole('button', { name: '이 페이지에 스크립트 주입' }).click();
    await expect(panel.getByTestId('injection-ran')).toHaveText('실행되지 않음');
    await context.close();
  });
});
