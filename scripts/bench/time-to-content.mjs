// Time to content: full loads of a protected page in the suite's Chromium, signed in, timed by the page itself
// (Navigation and Resource Timing, and a mark when "Signed in as" reaches the DOM), with and without CPU throttling.
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const CHROMIUM = JSON.parse(readFileSync(new URL('../../e2e/chromium.json', import.meta.url), 'utf8'));

/** A mid-range phone's CPU against this machine's, as Chrome's DevTools presets it. */
export const PHONE_THROTTLE = 4;
const PASSWORD = 'bench-password-1';

/**
 * Runs in every document before its own scripts: marks `content-visible` when the signed-in heading's username is in
 * the DOM, and notes whether the "restoring" notice ever was (the server's HTML included: the parser's insertions are
 * observed too). It only queries two elements per batch of mutations, so that it costs the page next to nothing.
 */
function watchContent() {
  const seen = { restoring: false };
  Object.defineProperty(window, '__timeToContent', { value: seen });
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role="status"]')?.textContent?.includes('Restoring')) seen.restoring = true;
    if (document.querySelector('[data-testid="username"]')?.textContent) {
      performance.mark('content-visible');
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

/**
 * @typedef {object} Load one full page load's timings, in ms from navigation start
 * @property {number} firstByte responseStart
 * @property {number} domContentLoaded domContentLoadedEventStart
 * @property {number} refreshStart the refresh request's startTime (Resource Timing)
 * @property {number} refreshEnd its responseEnd
 * @property {number} content when "Signed in as <username>" reached the DOM
 * @property {number} refreshes refresh requests the load made
 * @property {number} meCalls GET /api/me requests the load made
 * @property {boolean} restoring whether the "restoring" notice was ever in the DOM
 */

/** @param {import('@playwright/test').Page} page @returns {Promise<Load>} */
async function timings(page) {
  return page.evaluate(() => {
    const [navigation] = /** @type {PerformanceNavigationTiming[]} */ (performance.getEntriesByType('navigation'));
    const resources = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'));
    const named = (/** @type {string} */ path) => resources.filter((entry) => new URL(entry.name).pathname === path);
    const refreshes = named('/api/auth/refresh');
    const content = performance.getEntriesByName('content-visible')[0];
    return {
      firstByte: navigation.responseStart,
      domContentLoaded: navigation.domContentLoadedEventStart,
      refreshStart: refreshes[0]?.startTime ?? NaN,
      refreshEnd: refreshes[0]?.responseEnd ?? NaN,
      content: content?.startTime ?? NaN,
      refreshes: refreshes.length,
      meCalls: named('/api/me').length,
      restoring: /** @type {{ __timeToContent: { restoring: boolean } }} */ (/** @type {unknown} */ (window))
        .__timeToContent.restoring,
    };
  });
}

/**
 * One full load of `path` in `page` (as a reload does: the same tab, a new document), its CPU throttled `rate` times;
 * waits for the content and for the refresh's answer, plus a moment for a second refresh to show itself, if one were
 * coming.
 * @param {import('@playwright/test').Page} page @param {import('@playwright/test').CDPSession} cdp
 * @param {string} path @param {number} rate
 */
async function load(page, cdp, path, rate) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => performance.getEntriesByName('content-visible').length > 0);
  await page.waitForTimeout(300);
  return timings(page);
}

const median = (/** @type {number[]} */ values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * @typedef {object} Summary medians of {@link Load}'s timings over the loads, and what every load did
 * @property {string} label the build loaded
 * @property {number} rate CPU throttling
 * @property {number} loads
 * @property {number} firstByte
 * @property {number} domContentLoaded
 * @property {number} refreshStart
 * @property {number} refreshEnd
 * @property {number} content
 * @property {number} gap median of refreshStart − domContentLoaded, per load
 * @property {number} overRoundTrip median of content − (domContentLoaded + the load's refresh round trip), per load
 * @property {number} maxRefreshes the most refresh requests one load made
 * @property {number} meCalls GET /api/me requests over all loads
 * @property {number} restoring loads that showed the "restoring" notice
 */

/** @param {string} label @param {number} rate @param {Load[]} loads @returns {Summary} */
function summarizeLoads(label, rate, loads) {
  const of = (/** @type {(load: Load) => number} */ pick) => median(loads.map(pick));
  return {
    label,
    rate,
    loads: loads.length,
    firstByte: of((l) => l.firstByte),
    domContentLoaded: of((l) => l.domContentLoaded),
    refreshStart: of((l) => l.refreshStart),
    refreshEnd: of((l) => l.refreshEnd),
    content: of((l) => l.content),
    gap: of((l) => l.refreshStart - l.domContentLoaded),
    overRoundTrip: of((l) => l.content - (l.domContentLoaded + (l.refreshEnd - l.refreshStart))),
    maxRefreshes: Math.max(...loads.map((l) => l.refreshes)),
    meCalls: loads.reduce((total, l) => total + l.meCalls, 0),
    restoring: loads.filter((l) => l.restoring).length,
  };
}

/**
 * Signs a new account in through the login form (the DPoP key in IndexedDB, the refresh cookie in the context, as a
 * user's browser has them) and returns that tab, ready for full loads.
 * @param {import('@playwright/test').Browser} browser @param {string} baseURL
 */
async function signedInTab(browser, baseURL) {
  const context = await browser.newContext({ baseURL, locale: 'en-US', reducedMotion: 'reduce' });
  await context.addInitScript(watchContent);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(`ttc-${Date.now().toString(36)}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.waitForURL(/\/dashboard$/);
  return { page, cdp: await context.newCDPSession(page) };
}

/**
 * Full loads of `path` in the suite's Chromium, signed in, on each of `targets` (the app, and a baseline build when
 * one is compared): `loads` per target and CPU rate, after one warm-up load each, interleaved load by load so that
 * the machine's load falls on every side alike. One summary per target and rate, in that order.
 * @param {{ label: string, url: string }[]} targets each server by a name Chromium treats as a secure context
 *   (localhost)
 * @param {{ loads: number, path?: string, rates?: number[] }} options
 * @returns {Promise<Summary[]>}
 */
export async function timeToContent(targets, { loads, path = '/dashboard', rates = [1, PHONE_THROTTLE] }) {
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM ?? CHROMIUM.debianPaths.find((/** @type {string} */ p) => existsSync(p));
  const browser = await chromium.launch({ executablePath, args: CHROMIUM.args });
  try {
    const tabs = [];
    for (const target of targets) tabs.push(await signedInTab(browser, target.url));
    const sides = targets.flatMap((target, index) => rates.map((rate) => ({ target, tab: tabs[index], rate })));
    /** @type {Load[][]} */
    const bySide = sides.map(() => []);
    for (const { tab, rate } of sides) await load(tab.page, tab.cdp, path, rate);
    for (let round = 0; round < loads; round++) {
      for (const [index, { tab, rate }] of sides.entries())
        bySide[index].push(await load(tab.page, tab.cdp, path, rate));
    }
    return sides.map(({ target, rate }, index) => summarizeLoads(target.label, rate, bySide[index]));
  } finally {
    await browser.close();
  }
}
