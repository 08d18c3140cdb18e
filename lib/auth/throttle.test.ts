import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/lib/db';
import { registerUser, signIn } from './accounts';
import { expectAuthError } from '@/test/auth';
import { expectRejection } from '@/test/rejection';
import { AuthError } from './errors';
import { ACCOUNT_LIMIT, IP_LIMIT, takeAttempt } from './throttle';

afterAll(closeDb);

const password = 'the right password';
const newAccount = async () => registerUser({ username: `t${crypto.randomUUID().slice(0, 12)}`, password });
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID().slice(0, 4)}`;

describe('sign-in throttling', () => {
  it('blocks an account with 429 and Retry-After after consecutive failures, even for the right password', async () => {
    const user = await newAccount();
    const address = ip();
    for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed; attempt++) {
      await expectAuthError(signIn(user.username, 'wrong password', address), 'invalid_credentials');
    }
    const blocked = await expectAuthError(signIn(user.username, password, address), 'rate_limited');
    expect(blocked.detail.retryAfter).toBeGreaterThan(0);
    // Another address does not lift the account's block (a spoofed or changed address resets nothing).
    await expectAuthError(signIn(user.username, password, ip()), 'rate_limited');
  });

  it('a success clears the account counter, so failures must again be consecutive', async () => {
    const user = await newAccount();
    const address = ip();
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed - 1; attempt++) {
        await expectAuthError(signIn(user.username, 'wrong password', address), 'invalid_credentials');
      }
      await expect(signIn(user.username, password, address)).resolves.toMatchObject({ username: user.username });
    }
  });

  it('after each block lets one attempt through, with a longer block behind it; forgets after a quiet hour', async () => {
    const key = `test:${crypto.randomUUID()}`;
    let now = Date.now();
    for (let i = 0; i < ACCOUNT_LIMIT.allowed; i++) await takeAttempt(key, ACCOUNT_LIMIT, now);
    const blockedFor = async (at: number) =>
      (await expectAuthError(takeAttempt(key, ACCOUNT_LIMIT, at), 'rate_limited')).detail.retryAfter!;
    const letsThrough = (at: number) => expect(takeAttempt(key, ACCOUNT_LIMIT, at)).resolves.toBeUndefined();
    const first = await blockedFor(now);
    expect(first).toBe(ACCOUNT_LIMIT.baseSeconds);
    now += first * 1000;
    await letsThrough(now);
    const second = await blockedFor(now);
    expect(second).toBeGreaterThan(first);
    now += second * 1000;
    await letsThrough(now);
    expect(await blockedFor(now)).toBeGreaterThan(second);
    await letsThrough(now + 61 * 60 * 1000);
  });

  it('counts parallel guesses before checking them: no more than the allowance is ever checked', async () => {
    const user = await newAccount();
    const errors = await Promise.all(
      Array.from({ length: 3 * ACCOUNT_LIMIT.allowed }, () =>
        expectRejection(signIn(user.username, 'wrong password', ip()), AuthError),
      ),
    );
    const codes = errors.map((error) => error.code);
    expect(codes.filter((code) => code === 'invalid_credentials')).toHaveLength(ACCOUNT_LIMIT.allowed);
    expect(codes.filter((code) => code === 'rate_limited')).toHaveLength(2 * ACCOUNT_LIMIT.allowed);
  });

  it('blocks a client address after its allowance of failures across many accounts', async () => {
    const address = ip();
    const user = await newAccount();
    for (let attempt = 0; attempt < IP_LIMIT.allowed; attempt++) await takeAttempt(`login:ip:${address}`, IP_LIMIT);
    await expectAuthError(signIn(user.username, password, address), 'rate_limited');
    await expect(signIn(user.username, password, ip())).resolves.toMatchObject({ username: user.username });
  });

  it('throttles unknown usernames the same way (no oracle)', async () => {
    const address = ip();
    const name = `nobody-${crypto.randomUUID().slice(0, 8)}`;
    for (let attempt = 0; attempt < ACCOUNT_LIMIT.allowed; attempt++) {
      await expectAuthError(signIn(name, 'whatever', address), 'invalid_credentials');
    }
    await expectAuthError(signIn(name, 'whatever', address), 'rate_limited');
  });
});
