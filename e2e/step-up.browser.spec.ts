import { expect, type Page } from '@playwright/test';
import { test } from './fixtures';
import { countRequests, PASSWORD, registerThroughForm, signIn } from './helpers';

/**
 * Step-up in the browser: a sensitive change made with an old sign-in is answered 401
 * insufficient_user_authentication; the layout's dialog asks for the password, re-authenticates the same session and
 * the change is sent once more — or, cancelled, nothing changes. The demo's "Make my sign-in old" stands in for the
 * passage of time (STEP_UP_MAX_AGE is 300 s).
 */

const WORDS = {
  en: {
    age: 'Make my sign-in old',
    sensitive: 'Sign out my other sessions',
    dialog: 'Confirm it’s you',
    password: 'Current password',
    continue: 'Continue',
    cancel: 'Cancel',
    done: 'Done: you re-authenticated and the other sessions are signed out.',
    cancelled: 'Not re-authenticated: nothing changed.',
    wrong: 'That password or passkey is not accepted.',
  },
  ko: {
    age: '로그인 시각을 오래전으로',
    sensitive: '다른 세션에서 로그아웃',
    dialog: '본인 확인을 위해 재인증(step-up)해 주세요',
    password: '현재 비밀번호',
    continue: '계속',
    cancel: '취소',
    done: '완료: 재인증했고, 다른 세션은 모두 로그아웃되었습니다.',
    cancelled: '재인증하지 않았습니다. 바뀐 것은 없습니다.',
    wrong: '비밀번호나 패스키가 맞지 않습니다.',
  },
} as const;

async function ageSignIn(page: Page, words: (typeof WORDS)['en' | 'ko']) {
  await page.goto('/demo');
  await page.getByRole('button', { name: words.age }).click();
  await expect(page.getByTestId('step-up-status')).toContainText('auth_time');
}

test.describe('step-up: the re-authentication dialog', () => {
  test('an old sign-in: the change is refused, the dialog re-authenticates, the change is retried once and done', async ({
    page,
  }) => {
    const words = WORDS.en;
    await registerThroughForm(page);
    await ageSignIn(page, words);
    const changes = countRequests(page, 'DELETE', '/api/auth/sessions');
    const reauths = countRequests(page, 'POST', '/api/auth/reauth');
    const refreshes = countRequests(page, 'POST', '/api/auth/refresh');
    await page.getByRole('button', { name: words.sensitive }).click();
    const dialog = page.getByRole('dialog', { name: words.dialog });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('5 min');
    await dialog.getByLabel(words.password).fill('not the password');
    await dialog.getByRole('button', { name: words.continue }).click();
    await expect(dialog.getByRole('alert')).toHaveText(words.wrong);
    await dialog.getByLabel(words.password).fill(PASSWORD);
    await dialog.getByRole('button', { name: words.continue }).click();
    await expect(page.getByTestId('step-up-status')).toHaveText(words.done);
    await expect(dialog).toBeHidden();
    expect(changes.count, 'refused once, then retried once').toBe(2);
    expect(reauths.count, 'one wrong password, one right').toBe(2);
    expect(refreshes.count, 'a re-authentication rotates nothing').toBe(0);
    // The diagram draws the step-up: the refusal, the re-authentication and the retry.
    const diagram = page.getByTestId('sequence-diagram');
    await expect(diagram).toContainText('insufficient_user_authentication');
    await expect(diagram).toContainText('fresh auth_time');
    await expect(diagram).toContainText('retry with the new token');
    // Now recent: the next sensitive change goes through without asking.
    await page.getByRole('button', { name: words.sensitive }).click();
    await expect.poll(() => changes.count).toBe(3);
    await expect(dialog).toBeHidden();
  });

  test('cancelling leaves the session as it was: the change not made, the session still signed in', async ({
    page,
  }) => {
    const words = WORDS.en;
    await registerThroughForm(page);
    await ageSignIn(page, words);
    await page.getByRole('button', { name: words.sensitive }).click();
    const dialog = page.getByRole('dialog', { name: words.dialog });
    await dialog.getByRole('button', { name: words.cancel }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('step-up-status')).toHaveText(words.cancelled);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await expect(page.getByTestId('call-status')).toHaveText('200');
  });

  test('the Sessions page’s password change asks too, and goes ahead after re-authentication', async ({ page }) => {
    const { username } = await registerThroughForm(page);
    await ageSignIn(page, WORDS.en);
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill(`${PASSWORD} 2`);
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: WORDS.en.dialog });
    await dialog.getByLabel(WORDS.en.password).fill(PASSWORD);
    await dialog.getByRole('button', { name: WORDS.en.continue }).click();
    await expect(page.getByText('Password changed. Every other session was signed out.')).toBeVisible();
    await page.context().clearCookies();
    await signIn(page, { username, password: `${PASSWORD} 2` });
  });

  test('in Korean', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    const words = WORDS.ko;
    // The demo account, shared by other tests: this one only cancels, so it changes nothing of theirs.
    await signIn(page, undefined, 'ko');
    await ageSignIn(page, words);
    await page.getByRole('button', { name: words.sensitive }).click();
    const dialog = page.getByRole('dialog', { name: words.dialog });
    await expect(dialog).toContainText('5분');
    await dialog.getByRole('button', { name: words.cancel }).click();
    await expect(page.getByTestId('step-up-status')).toHaveText(words.cancelled);
    await context.close();
  });
});
