import { expect, test, type Page } from '@playwright/test';
import { generateKeyPair, generateProof } from 'dpop';
import { DEMO, signIn, type PageLang } from './helpers';
import { MAIN } from './servers';

/**
 * The browser's DPoP key (RFC 9449): kept in IndexedDB across reloads and tabs, lost with the site's data, and the
 * reason a token copied out of the page is worthless anywhere else.
 */

/**
 * The thumbprint (RFC 7638) of the key stored in this origin's IndexedDB, computed in the page from its exported public
 * JWK; null when there is none.
 */
function storedKeyThumbprint(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((database) => database.name === 'jwt-session')) return null;
    const pair = await new Promise<CryptoKeyPair | undefined>((resolve, reject) => {
      const open = indexedDB.open('jwt-session');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const get = db.transaction('keys').objectStore('keys').get('dpop');
        get.onsuccess = () => resolve(get.result as CryptoKeyPair | undefined);
        get.onerror = () => reject(get.error);
        db.close();
      };
    });
    if (!pair) return null;
    const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))),
    );
    return btoa(String.fromCharCode(...digest))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  });
}

/** Deletes the site's IndexedDB database, as "clear site data" does. */
function clearStoredKey(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('jwt-session');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('the database is still open'));
      }),
  );
}

/** The access token's cnf.jkt, as the demo's inspector shows it (after it matched the page's own key). */
async function demoJkt(page: Page): Promise<string> {
  const inspector = page.getByTestId('token-inspector');
  await expect(inspector.getByTestId('key-match')).toHaveText('match: the token is bound to this browser’s key');
  return (await inspector.getByTestId('key-cnf-jkt').textContent()) ?? '';
}

test.describe('the browser key (DPoP)', () => {
  test('survives a reload and is shared by the tabs of one browser: every token names the same key', async ({
    context,
    page,
  }) => {
    await signIn(page);
    const stored = await storedKeyThumbprint(page);
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.goto('/demo');
    expect(await demoJkt(page)).toBe(stored);

    // A reload keeps nothing in memory: the session comes back through a refresh proved by the stored key.
    await page.reload();
    await expect(page.getByTestId('username')).toHaveText(DEMO.username);
    expect(await demoJkt(page)).toBe(stored);

    const other = await context.newPage();
    await other.goto('/demo');
    await expect(other.getByTestId('username')).toHaveText(DEMO.username);
    expect(await demoJkt(other)).toBe(stored);
    expect(await storedKeyThumbprint(other)).toBe(stored);
    await other.getByRole('button', { name: 'Call the API' }).click();
    await expect(other.getByTestId('call-status')).toHaveText('200');
  });

  const KEY_LOST: Record<PageLang, string> = {
    en: 'This browser can no longer use the key its session was bound to (site data was cleared, or the browser removed it), so the session cannot go on.',
    ko: '세션이 묶여 있던 키를 이 브라우저에서 더 이상 쓸 수 없어 세션을 이어 갈 수 없습니다',
  };

  for (const lang of ['en', 'ko'] as const) {
    test(`clearing the site's key ends the session on the next load, and the login page says why (${lang})`, async ({
      browser,
    }) => {
      const context = await browser.newContext({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
      const page = await context.newPage();
      await signIn(page, DEMO, lang);
      await clearStoredKey(page);
      await page.reload();
      await expect(page).toHaveURL(/\/login\?reason=key_lost/);
      await expect(page.getByText(KEY_LOST[lang])).toBeVisible();
      expect(await storedKeyThumbprint(page)).toBeNull();
      await context.close();
    });
  }

  test('a token copied out of the page is refused from outside the browser: as Bearer, as DPoP without a proof, with a foreign proof, with the page’s own proof replayed', async ({
    page,
    playwright,
  }) => {
    await signIn(page);
    await page.goto('/demo');
    const [request] = await Promise.all([
      page.waitForRequest((sent) => new URL(sent.url()).pathname === '/api/me'),
      page.getByRole('button', { name: 'Call the API' }).click(),
    ]);
    await expect(page.getByTestId('call-status')).toHaveText('200');
    const token = (await page.getByTestId('token-encoded').textContent()) ?? '';
    expect(request.headers().authorization).toBe(`DPoP ${token}`);
    const pageProof = request.headers().dpop ?? '';
    expect(pageProof).not.toBe('');

    const outside = await playwright.request.newContext({ baseURL: MAIN.url });
    const me = async (headers: Record<string, string>) => {
      const response = await outside.get('/api/me', { headers });
      return {
        status: response.status(),
        error: ((await response.json()) as { error?: string }).error,
        challenge: response.headers()['www-authenticate'],
      };
    };
    const foreignProof = await generateProof(
      await generateKeyPair('ES256'),
      `${MAIN.url}/api/me`,
      'GET',
      undefined,
      token,
    );

    expect(await me({ authorization: `Bearer ${token}` })).toMatchObject({ status: 401, error: 'invalid_token' });
    const noProof = await me({ authorization: `DPoP ${token}` });
    expect(noProof).toMatchObject({ status: 401, error: 'invalid_dpop_proof' });
    expect(noProof.challenge).toMatch(/^DPoP algs="ES256", error="invalid_dpop_proof"/);
    expect(await me({ authorization: `DPoP ${token}`, dpop: foreignProof })).toMatchObject({
      status: 401,
      error: 'invalid_dpop_proof',
    });
    // The page's own proof, copied with the token, was used once already (its jti is remembered).
    expect(await me({ authorization: `DPoP ${token}`, dpop: pageProof })).toMatchObject({
      status: 401,
      error: 'invalid_dpop_proof',
    });
    await outside.dispose();

    // The same token still works where the key is.
    const [again] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me'),
      page.getByRole('button', { name: 'Call the API' }).click(),
    ]);
    expect(again.status()).toBe(200);
  });
});
