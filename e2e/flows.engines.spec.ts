import { expect, test, type Tab } from './engine-drivers';
import { DEMO, LOGIN_WORDS, type PageLang } from './helpers';

/**
 * The flows a user would notice, in Firefox ESR and in WebKitGTK (projects `firefox` and `webkit`), against the
 * engines server (HTTPS, access tokens of 3 s, DPoP and DBSC on). Words and outcomes are those the Chromium specs assert
 * (core, dpop and sessions.browser.spec.ts). Neither engine has DBSC: the sign-in test asserts the fallback the user
 * gets, a session bound to the DPoP key only.
 */

/** Signs in through the login form, submitted with Enter in the password field, and waits for the dashboard. */
async function signIn(tab: Tab, lang: PageLang = 'en'): Promise<void> {
  const words = LOGIN_WORDS[lang];
  await tab.goto('/login');
  await tab.type(words.username, DEMO.username);
  await tab.type(words.password, DEMO.password, 'Enter');
  await expect.poll(() => tab.url()).toMatch(/\/dashboard$/);
  await expect.poll(() => textOf(tab, 'username')).toBe(DEMO.username);
}

const textOf = (tab: Tab, testId: string) =>
  tab.run((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null, testId);

const pageText = (tab: Tab) => tab.run(() => document.body.innerText);

/** The requests this document has made to `path` so far (Resource Timing: every engine has it, no driver needed). */
const requestsTo = (tab: Tab, path: string) =>
  tab.run(
    (wanted) =>
      performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === wanted).length,
    path,
  );

/** Everything this origin keeps in IndexedDB: per database, per store, each record's key and what it holds. */
function indexedDbContents(tab: Tab) {
  return tab.run(async () => {
    const read = (name: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    const all = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const contents: Record<string, Record<string, { key: string; value: string }[]>> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await read(name);
      contents[name] = {};
      for (const store of db.objectStoreNames) {
        const objects = db.transaction(store).objectStore(store);
        const [keys, values] = await Promise.all([all(objects.getAllKeys()), all(objects.getAll())]);
        contents[name][store] = keys.map((key, i) => {
          const value: unknown = values[i];
          const pair = value as Partial<CryptoKeyPair> | null;
          const described =
            pair?.privateKey instanceof CryptoKey && pair.publicKey instanceof CryptoKey
              ? `key pair: private ${pair.privateKey.algorithm.name} extractable=${pair.privateKey.extractable} usages=${pair.privateKey.usages.join()}`
              : JSON.stringify(value);
          return { key: String(key), value: described };
        });
      }
      db.close();
    }
    return contents;
  });
}

/** The stored key's public x coordinate (names the key), or null when there is none. */
const storedKeyX = (tab: Tab) =>
  tab.run(async () => {
    if (!(await indexedDB.databases()).some((database) => database.name === 'jwt-session')) return null;
    const pair = await new Promise<CryptoKeyPair | undefined>((resolve, reject) => {
      const open = indexedDB.open('jwt-session');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction('keys').objectStore('keys').get('dpop');
        get.onsuccess = () => resolve(get.result as CryptoKeyPair | undefined);
        get.onerror = () => reject(get.error);
        open.result.close();
      };
    });
    return pair ? ((await crypto.subtle.exportKey('jwk', pair.publicKey)).x ?? null) : null;
  });

/** Reloads and checks that the session came back silently: the dashboard, one refresh, proved by the same key. */
async function expectSilentRestore(tab: Tab): Promise<void> {
  const key = await storedKeyX(tab);
  expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await tab.reload();
  await expect.poll(() => textOf(tab, 'username')).toBe(DEMO.username);
  expect(await tab.url()).toMatch(/\/dashboard$/);
  expect(await requestsTo(tab, '/api/auth/refresh')).toBe(1);
  expect(await storedKeyX(tab)).toBe(key);
}

/** Waits past the access token's expiry: 3 s, plus the server's 5 s clock-skew leeway. */
const letTokenExpire = () => new Promise((resolve) => setTimeout(resolve, 9_000));

test('signs in with Enter; nothing token-like is readable from script, IndexedDB holds only the non-extractable key; no DBSC, and the demo says so', async ({
  profile,
}) => {
  const tab = await profile.newTab();
  await signIn(tab);
  const exposed = await tab.run(() => ({
    local: Object.keys(localStorage).map((key) => localStorage.getItem(key)),
    session: Object.keys(sessionStorage).map((key) => sessionStorage.getItem(key)),
    cookie: document.cookie,
    url: location.href,
  }));
  expect(exposed).toMatchObject({ local: [], session: [], cookie: '' });
  expect(exposed.url).not.toMatch(/eyJ/);
  expect(await indexedDbContents(tab)).toEqual({
    'jwt-session': { keys: [{ key: 'dpop', value: 'key pair: private ECDSA extractable=false usages=sign' }] },
  });
  // The engine refuses to export a non-extractable private key: what keeps the stored one in the browser.
  expect(
    await tab.run(async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'sign',
      ])) as CryptoKeyPair;
      return crypto.subtle.exportKey('jwk', pair.privateKey).then(
        () => 'exported',
        (error: Error) => error.name,
      );
    }),
  ).toBe('InvalidAccessError');

  // The demo asks about DBSC with each new access token and skips one about to expire (3 s tokens here, and a slow
  // engine may take longer than the margin to ask): each call after an expiry brings a fresh token to ask with.
  await tab.goto('/demo');
  await expect(async () => {
    await tab.click('Call the API');
    expect(await textOf(tab, 'call-status')).toBe('200');
    expect(await textOf(tab, 'device-status')).toBe(
      'Not device-bound: this browser did not register a device key (no DBSC support, or not over HTTPS).',
    );
  }).toPass({ timeout: 30_000, intervals: [1_500] });
});

test('a reload restores the session silently through the DPoP key in IndexedDB', async ({ profile }) => {
  const tab = await profile.newTab();
  await signIn(tab);
  await expectSilentRestore(tab);
});

test('a call after expiry succeeds through one refresh and a retry the user never sees', async ({ profile }) => {
  const tab = await profile.newTab();
  await signIn(tab);
  const [calls, refreshes] = [await requestsTo(tab, '/api/me'), await requestsTo(tab, '/api/auth/refresh')];
  await letTokenExpire();
  await tab.click('Call /api/me');
  await expect.poll(() => textOf(tab, 'api-status')).toBe('200');
  // The expired call (401), one refresh, the same call again.
  expect(await requestsTo(tab, '/api/me')).toBe(calls + 2);
  expect(await requestsTo(tab, '/api/auth/refresh')).toBe(refreshes + 1);
  expect(await tab.url()).toMatch(/\/dashboard$/);
});

test('two tabs calling at once after expiry share one refresh', async ({ profile }) => {
  const first = await profile.newTab();
  await signIn(first);
  const second = await profile.newTab();
  await second.goto('/dashboard');
  await expect.poll(() => textOf(second, 'username')).toBe(DEMO.username);
  const refreshesBefore =
    (await requestsTo(first, '/api/auth/refresh')) + (await requestsTo(second, '/api/auth/refresh'));
  await letTokenExpire();
  await Promise.all([first.click('Call /api/me'), second.click('Call /api/me')]);
  for (const tab of [first, second]) {
    await expect.poll(() => textOf(tab, 'api-status')).toBe('200');
    expect(await tab.url()).toMatch(/\/dashboard$/);
  }
  const refreshesAfter =
    (await requestsTo(first, '/api/auth/refresh')) + (await requestsTo(second, '/api/auth/refresh'));
  expect(refreshesAfter - refreshesBefore).toBe(1);
});

test('signing out in one tab signs out the other', async ({ profile }) => {
  const first = await profile.newTab();
  await signIn(first);
  const second = await profile.newTab();
  await second.goto('/dashboard');
  await expect.poll(() => textOf(second, 'username')).toBe(DEMO.username);
  await first.click('Sign out');
  await expect.poll(() => second.url()).toMatch(/\/login\?reason=signed_out/);
  await expect.poll(() => pageText(second)).toContain('You signed out.');
});

test("clearing the site's IndexedDB ends the session on the next load, and the login page says the key was lost", async ({
  profile,
}) => {
  const tab = await profile.newTab();
  await signIn(tab);
  await tab.run(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('jwt-session');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('the database is still open'));
      }),
  );
  await tab.reload();
  await expect.poll(() => tab.url()).toMatch(/\/login\?reason=key_lost/);
  await expect
    .poll(() => pageText(tab))
    .toContain(
      'This browser can no longer use the key its session was bound to (site data was cleared, or the browser removed it), so the session cannot go on. Please sign in again.',
    );
  expect(await storedKeyX(tab)).toBeNull();
});

test('a Korean browser gets Korean from the first render, and signs in with the Korean form', async ({
  openProfile,
}) => {
  const tab = await (await openProfile({ lang: 'ko' })).newTab();
  await tab.goto('/login');
  // The HTML as the server sends it to this browser (its own Accept-Language), before any script runs.
  const html = await tab.run(async () => (await fetch('/login')).text());
  expect(html).toContain('<html lang="ko"');
  expect(html).toContain('<title>로그인 · JWT 세션 레퍼런스</title>');
  expect(
    await tab.run(() => [document.documentElement.lang, document.title, document.querySelector('h1')?.textContent]),
  ).toEqual(['ko', '로그인 · JWT 세션 레퍼런스', '로그인']);
  await signIn(tab, 'ko');
});

test('in private mode, sign-in works and a reload restores the session through the key kept in IndexedDB', async ({
  openProfile,
}) => {
  const tab = await (await openProfile({ private: true })).newTab();
  await signIn(tab);
  await expectSilentRestore(tab);
});
