import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { test as base } from '@playwright/test';
import puppeteer, { type Browser, type BrowserContext, type ElementHandle, type Page } from 'puppeteer-core';
import { Builder, Key, type WebDriver, type WebElement } from 'selenium-webdriver';
import { ENGINES, FIREFOX, MINIBROWSER, type EngineName } from './engines';

/**
 * One set of flows, two drivers: a Tab is one tab of an engine's browser, a Profile a browser profile (its own cookies
 * and storage, shared by its tabs). Firefox ESR is driven by puppeteer-core over WebDriver BiDi, WebKitGTK by
 * selenium-webdriver through WebKitWebDriver. Elements are found as a user names them (a field by its label, a button
 * by its name) and then typed into and clicked through the driver, as real input.
 */

/** One tab; paths are resolved against the engines server. */
export interface Tab {
  goto(path: string): Promise<void>;
  reload(): Promise<void>;
  url(): Promise<string>;
  /** Runs a function in the page (serialised: it sees only its arguments) and returns its awaited result. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /** Types into the field labelled `label`; `then: 'Enter'` presses Enter in it afterwards. */
  type(label: string, text: string, then?: 'Enter'): Promise<void>;
  /** Clicks the enabled button named `name`. */
  click(name: string): Promise<void>;
}

/** A browser profile; closed by the fixture at the end of the test. */
export interface Profile {
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

/** How a profile differs from the default one: the browser's language, and its private mode. */
export interface ProfileOptions {
  lang?: 'ko';
  private?: boolean;
}

/** A running engine, one per Playwright worker. */
interface EngineHost {
  open(options: ProfileOptions): Promise<Profile>;
  close(): Promise<void>;
}

type Control = { kind: 'field' | 'button'; name: string };

/** In the page: the field whose label reads `name`, or the enabled button so named. */
function findControl({ kind, name }: Control): HTMLElement | null {
  if (kind === 'field') {
    const label = [...document.querySelectorAll('label')].find((candidate) => candidate.textContent?.trim() === name);
    return label?.control ?? null;
  }
  return (
    [...document.querySelectorAll('button')].find(
      (button) => !button.disabled && (button.getAttribute('aria-label') ?? button.textContent ?? '').trim() === name,
    ) ?? null
  );
}

/** Retries `find` until it yields something, for up to 10 s (the page may still be rendering). */
async function waitFor<T>(what: string, find: () => Promise<T | null>): Promise<T> {
  const giveUpAt = Date.now() + 10_000;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > giveUpAt) throw new Error(`engines: no ${what} on the page after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const named = ({ kind, name }: Control) => `${kind} "${name}"`;

// Firefox ESR: puppeteer-core launches it over WebDriver BiDi. The app honours prefers-reduced-motion: its countdown
// bars would otherwise animate without end, CPU the suite needs.
const FIREFOX_PREFS = { 'ui.prefersReducedMotion': 1 };

function launchFirefox(prefs: Record<string, unknown> = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...prefs },
  });
}

class FirefoxTab implements Tab {
  constructor(private readonly page: Page) {}
  async goto(path: string) {
    await this.page.goto(new URL(path, ENGINES.url).href);
  }
  async reload() {
    await this.page.reload();
  }
  async url() {
    return this.page.url();
  }
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
    return this.page.evaluate(fn as (...args: unknown[]) => R, ...args) as Promise<Awaited<R>>;
  }
  private control(control: Control): Promise<ElementHandle<HTMLElement>> {
    return waitFor(
      named(control),
      async () =>
        (await this.page.evaluateHandle(findControl, control)).asElement() as ElementHandle<HTMLElement> | null,
    );
  }
  async type(label: string, text: string, then?: 'Enter') {
    const field = await this.control({ kind: 'field', name: label });
    await field.type(text);
    if (then) await field.press(then);
  }
  async click(name: string) {
    await (await this.control({ kind: 'button', name })).click();
  }
}

/** A Firefox profile: a user context of the worker's browser, or a browser of its own when its prefs differ. */
class FirefoxProfile implements Profile {
  constructor(
    private readonly context: BrowserContext,
    private readonly ownBrowser: Browser | null,
  ) {}
  async newTab() {
    return new FirefoxTab(await this.context.newPage());
  }
  async close() {
    await (this.ownBrowser ? this.ownBrowser.close() : this.context.close());
  }
}

async function firefoxHost(): Promise<EngineHost> {
  const shared = await launchFirefox();
  return {
    async open(options) {
      if (!options.lang && !options.private) return new FirefoxProfile(await shared.createBrowserContext(), null);
      // The language and private browsing are the profile's prefs: a browser of their own.
      const browser = await launchFirefox({
        ...(options.lang ? { 'intl.accept_languages': 'ko-KR, ko' } : {}),
        ...(options.private ? { 'browser.privatebrowsing.autostart': true } : {}),
      });
      return new FirefoxProfile(browser.defaultBrowserContext(), browser);
    },
    close: () => shared.close(),
  };
}

/**
 * A WebKitGTK profile: one WebDriver session (a MiniBrowser of its own, whose storage starts empty). Its tabs are the
 * session's windows; WebDriver talks to one at a time, so every command switches to its tab first, one command at a
 * time.
 */
class WebKitProfile implements Profile {
  private queue: Promise<unknown> = Promise.resolve();
  private current = '';
  private tabs = 0;

  constructor(private readonly driver: WebDriver) {}

  /** Runs `command` on the window `handle`, after every command queued before it. */
  on<T>(handle: string, command: (driver: WebDriver) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (this.current !== handle) await this.driver.switchTo().window(handle);
      this.current = handle;
      return command(this.driver);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async newTab() {
    const handle = await this.on(this.current, async (driver) => {
      if (this.tabs > 0) await driver.switchTo().newWindow('tab');
      return driver.getWindowHandle();
    });
    this.tabs += 1;
    this.current = handle;
    return new WebKitTab(this, handle);
  }

  async close() {
    await this.driver.quit();
  }

  static async start(server: string, options: ProfileOptions): Promise<WebKitProfile> {
    // WebKitGTK takes its languages (navigator.languages, Accept-Language) from the process's locale, so a Korean
    // MiniBrowser is started through env(1) in a Korean locale, compiled for the run (no system locale is needed).
    const browser = options.lang
      ? {
          binary: '/usr/bin/env',
          args: [`LOCPATH=${koreanLocales()}`, 'LC_ALL=ko_KR.UTF-8', MINIBROWSER, '--automation'],
        }
      : { binary: MINIBROWSER, args: ['--automation'] };
    if (options.private) browser.args.push('--private');
    const driver = await new Builder()
      .usingServer(server)
      .withCapabilities({ browserName: 'MiniBrowser', acceptInsecureCerts: true, 'webkitgtk:browserOptions': browser })
      .build();
    const profile = new WebKitProfile(driver);
    profile.current = await driver.getWindowHandle();
    return profile;
  }
}

let locales: string | undefined;

/** A directory holding the ko_KR.UTF-8 locale, compiled once per worker with localedef (the `locales` package's data). */
function koreanLocales(): string {
  if (!locales) {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-session-locales-'));
    execFileSync('localedef', ['-i', 'ko_KR', '-f', 'UTF-8', join(dir, 'ko_KR.UTF-8')]);
    locales = dir;
  }
  return locales;
}

class WebKitTab implements Tab {
  constructor(
    private readonly profile: WebKitProfile,
    private readonly handle: string,
  ) {}
  private on<T>(command: (driver: WebDriver) => Promise<T>) {
    return this.profile.on(this.handle, command);
  }
  goto(path: string) {
    return this.on((driver) => driver.get(new URL(path, ENGINES.url).href));
  }
  reload() {
    return this.on((driver) => driver.navigate().refresh());
  }
  url() {
    return this.on((driver) => driver.getCurrentUrl());
  }
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
    // WebDriver's Execute Script awaits a returned promise.
    return this.on((driver) => driver.executeScript<Awaited<R>>(fn, ...args));
  }
  private control(control: Control): Promise<WebElement> {
    return waitFor(named(control), () =>
      this.on((driver) => driver.executeScript<WebElement | null>(findControl, control)),
    );
  }
  async type(label: string, text: string, then?: 'Enter') {
    const field = await this.control({ kind: 'field', name: label });
    await this.on(() => (then ? field.sendKeys(text, Key.ENTER) : field.sendKeys(text)));
  }
  async click(name: string) {
    const button = await this.control({ kind: 'button', name });
    await this.on(() => button.click());
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `command` in its own process group (so that it can be ended with its children); stderr is discarded. */
function startGroup(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdout?: 'pipe' | 'ignore' } = {},
): ChildProcess {
  return spawn(command, args, {
    detached: true,
    stdio: ['ignore', options.stdout ?? 'ignore', 'ignore'],
    env: options.env ?? process.env,
  });
}

const endGroup = (child: ChildProcess) => {
  if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
};

/**
 * An Xvfb display (numbered by Xvfb itself: -displayfd, no race between workers) and a WebKitWebDriver on it. The
 * driver runs one session at a time, so a test opens one WebKit profile at a time.
 */
async function webkitHost(): Promise<EngineHost> {
  const xvfb = startGroup('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdout: 'pipe',
  });
  const display = await new Promise<string>((resolve, reject) => {
    xvfb.once('exit', (code) => reject(new Error(`engines: Xvfb exited (${code})`)));
    xvfb.stdout?.once('data', (data: Buffer) => resolve(`:${data.toString().trim()}`));
  });
  const port = await freePort();
  const webdriver = startGroup('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: display } });
  const server = `http://127.0.0.1:${port}`;
  await waitFor('WebKitWebDriver', async () => (await fetch(`${server}/status`).catch(() => null))?.ok || null);
  return {
    open: (options) => WebKitProfile.start(server, options),
    async close() {
      endGroup(webdriver);
      endGroup(xvfb);
      if (locales) rmSync(locales, { recursive: true, force: true });
    },
  };
}

/**
 * The engines' fixtures: `engine` (set per project), `openProfile` (a new profile, closed at the end of the test) and
 * `profile` (a default one). WebKit runs one profile at a time: a test uses `profile` or `openProfile`, not both.
 */
export const test = base.extend<
  { openProfile: (options?: ProfileOptions) => Promise<Profile>; profile: Profile },
  { engine: EngineName; engineHost: EngineHost }
>({
  engine: ['firefox', { option: true, scope: 'worker' }],
  engineHost: [
    async ({ engine }, provide) => {
      const host = engine === 'firefox' ? await firefoxHost() : await webkitHost();
      await provide(host);
      await host.close();
    },
    { scope: 'worker' },
  ],
  openProfile: async ({ engineHost }, provide) => {
    const opened: Profile[] = [];
    await provide(async (options = {}) => {
      const profile = await engineHost.open(options);
      opened.push(profile);
      return profile;
    });
    for (const profile of opened) await profile.close();
  },
  profile: async ({ openProfile }, provide) => {
    await provide(await openProfile());
  },
});

export { expect } from '@playwright/test';
