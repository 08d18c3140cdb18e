import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/lib/db';
import { registerUser, signIn } from './accounts';
import { expectAuthError } from '@/test/auth';
import { AuthError } from './errors';
import { ACCOUNT_LIMIT, IP_LIMIT, takeAttempt } from './throttle';

afterAll(closeDb);

const password = 'the right password';
const newAccount = async () => registerUser({ username: `t${crypto.randomUUID().slice(0, 12)}`, password });
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID().slice(0, 4)}`;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof AuthError ? error.code : String(error)),
  );
}

describe('sign-in throttling', () => {
  it('blocks an account with 429 and Retry-After after consecutive failures, even for the right password', async () => {
    const user = await newAccount();
    const address = ip();
    for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed; attempt++) {
      expect(await codeOf(signIn(user.username, 'wrong password', address))).toBe('invalid_credentials');
    }
    const blocked = await expectAuthError(signIn(user.username, password, address), 'rate_limited');
    expect(blocked.detail.retryAfter).toBeGreaterThan(0);
    // Another address does not lift the account's block (a spoofed or changed address resets nothing).
    expect(await codeOf(signIn(user.username, password, ip()))).toBe('rate_limited');
  });

  it('a success clears the account counter, so failures must again be consecutive', async () => {
    const user = await newAccount();
    const address = ip();
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed - 1; attempt++) {
        expect(await codeOf(signIn(user.username, 'wrong password', address))).toBe('invalid_credentials');
      }
      expect(await codeOf(signIn(user.username, password, address))).toBe('ok');
    }
  });

  it('after each block lets one attempt through, with a longer block behind it; forgets after a quiet hour', async () => {
    const key = `test:${crypto.randomUUID()}`;
    let now = Date.now();
    for (let i = 0; i < ACCOUNT_LIMIT.allowed; i++) await takeAttempt(key, ACCOUNT_LIMIT, now);
    const retryAfter = (at: number) => takeAttempt(key, ACCOUNT_LIMIT, at).then(() => 0, (error: AuthError) => error.detail.retryAfter!);
    const first = await retryAfter(now);
    expect(first).toBe(ACCOUNT_LIMIT.baseSeconds);
    now += first * 1000;
    expect(await retryAfter(now)).toBe(0);
    const second = await retryAfter(now);
    expect(second).toBeGreaterThan(first);
    now += second * 1000;
    expect(await retryAfter(now)).toBe(0);
    expect(await retryAfter(now)).toBeGreaterThan(second);
    expect(await retryAfter(now + 61 * 60 * 1000)).toBe(0);
  });

  it('counts parallel guesses before checking them: no more than the allowance is ever checked', async () => {
    const user = await newAccount();
    const results = await Promise.all(
      Array.from({ length: 3 * ACCOUNT_LIMIT.allowed }, () => codeOf(signIn(user.username, 'wrong password', ip()))),
    );
    expect(results.filter((code) => code === 'invalid_credentials')).toHaveLength(ACCOUNT_LIMIT.allowed);
    expect(results.filter((code) => code === 'rate_limited')).toHaveLength(2 * ACCOUNT_LIMIT.allowed);
  });

  it('blocks a client address after its allowance of failures across many accounts', async () => {
    const address = ip();
    const user = await newAccount();
    for (let attempt = 0; attempt < IP_LIMIT.allowed; attempt++) await takeAttempt(`login:ip:${address}`, IP_LIMIT);
    expect(await codeOf(signIn(user.username, password, address))).toBe('rate_limited');
    expect(await codeOf(signIn(user.username, password, ip()))).toBe('ok');
  });

  it('throttles unknown usernames the same way (no oracle)', async () => {
    const address = ip();
    const name = `nobody-${crypto.randomUUID().slice(0, 8)}`;
    for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed; attempt++) {
      expect(await codeOf(signIn(name, 'whatever', address))).toBe('invalid_credentials');
    }
    expect(await codeOf(signIn(name, 'whatever', address))).toBe('rate_limited');
  });
});
