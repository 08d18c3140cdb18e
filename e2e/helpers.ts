import { expect, type Page } from '@playwright/test';

export const DEMO = { username: 'demo', password: 'demo-password' };

/** The password of every account the suites create. */
export const PASSWORD = 'a long enough password';

export const uniqueName = (prefix = 'user') => `${prefix}-${crypto.randomUUID().slice(0, 10)}`;

/** The login form's words, for a page rendered in English (the default) or Korean. */
export const LOGIN_WORDS = {
  en: { username: 'Username', password: 'Password', signIn: 'Sign in' },
  ko: { username: '아이디', password: '비밀번호', signIn: '로그인' },
} as const;

/** The languages the app renders in. */
export type PageLang = keyof typeof LOGIN_WORDS;

/** Signs in through the login form (its words in `lang`) and waits for the dashboard. */
export async function signIn(page: Page, credentials = DEMO, lang: PageLang = 'en'): Promise<void> {
  const words = LOGIN_WORDS[lang];
  await page.goto('/login');
  await page.getByLabel(words.username).fill(credentials.username);
  await page.getByLabel(words.password).fill(credentials.password);
  await page.getByRole('button', { name: words.signIn, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('username')).toHaveText(credentials.username);
}

/** Creates an account through the form (which signs it in) and returns its credentials. */
export async function registerThroughForm(page: Page): Promise<{ username: string; password: string }> {
  const credentials = { username: uniqueName(), password: PASSWORD };
  await page.goto('/login');
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('username')).toHaveText(credentials.username);
  return credentials;
}

/** Counts the requests a page makes to a path (method + path), from now on. */
export function countRequests(page: Page, method: string, path: string): { readonly count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === method && new URL(request.url()).pathname === path) counter.count += 1;
  });
  return counter;
}

/** The clock in epoch seconds, as JWT claims count it. */
export const now = () => Math.floor(Date.now() / 1000);
