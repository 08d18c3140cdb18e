import { expect, type Page } from '@playwright/test';

export const DEMO = { username: 'demo', password: 'demo-password' };

export const uniqueName = (prefix = 'user') => `${prefix}-${crypto.randomUUID().slice(0, 10)}`;

/** Signs in through the login form and waits for the dashboard. */
export async function signIn(page: Page, credentials = DEMO): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('username')).toHaveText(credentials.username);
}

/** Creates an account through the form (which signs it in) and returns its credentials. */
export async function registerThroughForm(page: Page): Promise<{ username: string; password: string }> {
  const credentials = { username: uniqueName(), password: 'a long enough password' };
  await page.goto('/login');
  await page.getByRole('button', { name: 'Create account' }).first().click();
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Create account' }).last().click();
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
