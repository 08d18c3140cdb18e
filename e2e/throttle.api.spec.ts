import { expect } from '@playwright/test';
import { expectError, expectTokenResponse } from './assertions';
import { test } from './fixtures';

// Sign-in throttling, against the real server and store: 10 consecutive failures per account (then a doubling
// back-off from 1 s), per client address 100. Each test uses its own account.
const ALLOWED_FAILURES = 10;

test.describe('sign-in throttling', () => {
  test('after repeated failures the account gets 429 with Retry-After, even with the right password', async ({
    api,
  }) => {
    const victim = await api.signUp('throttled');
    for (let attempt = 0; attempt < ALLOWED_FAILURES; attempt++) {
      expectError(await api.login(victim.username, `wrong guess ${attempt}`), 401, 'invalid_credentials');
    }
    const blocked = await api.login(victim.username, victim.password);
    const body = expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(body.retryAfter).toBeGreaterThanOrEqual(1);
    expect(blocked.cookie).toBeNull();
  });

  test('a spoofed X-Forwarded-For neither escapes nor resets the block', async ({ api }) => {
    const victim = await api.signUp('spoofed');
    for (let attempt = 0; attempt < ALLOWED_FAILURES; attempt++) {
      await api.login(victim.username, 'wrong', { 'x-forwarded-for': `203.0.113.${attempt}` });
    }
    for (const address of ['198.51.100.7', '127.0.0.1', '10.0.0.1, 198.51.100.8']) {
      expectError(
        await api.login(victim.username, victim.password, { 'x-forwarded-for': address }),
        429,
        'rate_limited',
      );
    }
  });

  test("the victim's existing session keeps working while sign-in is blocked", async ({ api }) => {
    const victim = await api.signUp('victim');
    for (let attempt = 0; attempt < ALLOWED_FAILURES + 2; attempt++) await api.login(victim.username, 'wrong');
    expectTokenResponse(await api.refresh(victim.cookie), 200, victim.username);
    expect((await api.me(`Bearer ${victim.accessToken}`)).status).toBe(200);
  });

  test('a success clears the count: failures must be consecutive to block', async ({ api }) => {
    const user = await api.signUp('steady');
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < ALLOWED_FAILURES - 1; attempt++) await api.login(user.username, 'wrong');
      expectTokenResponse(await api.login(user.username, user.password), 200, user.username);
    }
  });

  test('the back-off ends: after Retry-After the right password works again', async ({ api }) => {
    const user = await api.signUp('patient');
    for (let attempt = 0; attempt < ALLOWED_FAILURES; attempt++) await api.login(user.username, 'wrong');
    const blocked = await api.login(user.username, user.password);
    expect(blocked.status).toBe(429);
    // A sleep, not a poll: time itself is under test (the back-off's length), and every attempt made while blocked
    // would lengthen the next block.
    await new Promise((resolve) => setTimeout(resolve, Number(blocked.headers.get('retry-after')) * 1000 + 200));
    expectTokenResponse(await api.login(user.username, user.password), 200, user.username);
  });

  test('per-account throttling holds under concurrency: at most 10 guesses are checked', async ({ api }) => {
    const victim = await api.signUp('burst');
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api.login(victim.username, `parallel wrong guess ${i}`)),
    );
    const elapsed = Date.now() - started;
    const checked = responses.filter((response) => response.status === 401).length;
    expect(responses.every((response) => response.status === 401 || response.status === 429)).toBe(true);
    // The tenth failure blocks the account for 1 s; a burst that outlasts that block (a loaded machine) lets exactly one
    // more guess through, which claims the next block: 2^(attempts past the tenth) s, so minutes long by then.
    const allowed = elapsed < 1000 ? 10 : 11;
    expect(checked, `password guesses actually evaluated (burst took ${elapsed} ms)`).toBeLessThanOrEqual(allowed);
  });
});
