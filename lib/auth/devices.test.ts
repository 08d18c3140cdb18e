import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/lib/db';
import type { PublicUser } from '@/lib/protocol';
import { expectAuthError, refreshWith } from '@/test/auth';
import { changePassword, registerUser, signIn } from './accounts';
import { listSessions, revokeAllSessions, revokeUserSession } from './devices';
import { assertLive, startSession } from './sessions';

afterAll(closeDb);

const password = 'original password';
const newUser = () => registerUser({ username: `s${crypto.randomUUID().slice(0, 12)}`, password });
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

async function threeSessions(user: PublicUser) {
  return [
    await startSession(user, { userAgent: FIREFOX }),
    await startSession(user, { userAgent: SAFARI_IOS }),
    await startSession(user, {}),
  ];
}

describe('devices', () => {
  it('lists the live sessions of the user only, marking the current one and naming devices', async () => {
    const user = await newUser();
    const [laptop, phone] = await threeSessions(user);
    await startSession(await newUser(), { userAgent: FIREFOX });
    const sessions = await listSessions(laptop!.accessClaims);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((session) => session.current).map((session) => session.id)).toEqual([laptop!.sessionId]);
    expect(sessions.find((session) => session.id === laptop!.sessionId)!.device).toBe('Firefox on Linux');
    expect(sessions.find((session) => session.id === phone!.sessionId)!.device).toBe('Safari on iOS');
  });

  it('revoking one session stops its refresh at once and hides it from the list', async () => {
    const user = await newUser();
    const [laptop, phone] = await threeSessions(user);
    await revokeUserSession(laptop!.accessClaims, phone!.sessionId);
    await expectAuthError(refreshWith(phone!.refreshToken), 'invalid_grant', { reason: 'revoked', cause: 'revoked' });
    expect((await listSessions(laptop!.accessClaims)).map((session) => session.id)).not.toContain(phone!.sessionId);
    await expect(refreshWith(laptop!.refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it("cannot revoke another user's session", async () => {
    const mine = await startSession(await newUser(), {});
    const theirs = await startSession(await newUser(), {});
    await expectAuthError(revokeUserSession(mine.accessClaims, theirs.sessionId), 'not_found');
    await expect(refreshWith(theirs.refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it('signs out everywhere else, or everywhere', async () => {
    const user = await newUser();
    const [laptop, phone, tablet] = await threeSessions(user);
    expect(await revokeAllSessions(laptop!.accessClaims, { keepCurrent: true })).toBe(2);
    await expectAuthError(refreshWith(phone!.refreshToken), 'invalid_grant', { reason: 'revoked', cause: 'revoked' });
    await expectAuthError(refreshWith(tablet!.refreshToken), 'invalid_grant', { reason: 'revoked', cause: 'revoked' });
    const current = await refreshWith(laptop!.refreshToken);
    await revokeAllSessions(current.accessClaims, { keepCurrent: false });
    await expectAuthError(refreshWith(current.refreshToken), 'invalid_grant', {
      reason: 'revoked',
      cause: 'signed_out',
    });
    await expectAuthError(assertLive(current.accessClaims), 'invalid_token');
  });
});

describe('changing the password', () => {
  it('is not blocked by strangers failing to sign in as the user', async () => {
    const user = await newUser();
    const session = await startSession(user, {});
    for (let attempt = 0; attempt < 15; attempt++)
      await signIn(user.username, 'guess', `203.0.113.${attempt}`).catch(() => {});
    await expectAuthError(signIn(user.username, password, 'ip-2'), 'rate_limited');
    await expect(changePassword(session.accessClaims, password, 'another new password')).resolves.toBeUndefined();
  });

  it('requires the current password, then signs out every other session and keeps this one', async () => {
    const user = await newUser();
    const [laptop, phone] = await threeSessions(user);
    await expectAuthError(changePassword(laptop!.accessClaims, 'wrong', 'a brand new password'), 'invalid_credentials');
    await changePassword(laptop!.accessClaims, password, 'a brand new password');
    await expectAuthError(refreshWith(phone!.refreshToken), 'invalid_grant', {
      reason: 'revoked',
      cause: 'password_changed',
    });
    await expect(refreshWith(laptop!.refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
    await expectAuthError(signIn(user.username, password, 'ip-1'), 'invalid_credentials');
    await expect(signIn(user.username, 'a brand new password', 'ip-1')).resolves.toMatchObject({
      username: user.username,
    });
  });
});

describe('refused attempts', () => {
  it('lists which sessions are key-bound and how many attempts without the key were refused', async () => {
    const user = await newUser();
    const bound = await startSession(user, { jkt: 'k'.repeat(43) });
    const plain = await startSession(user, {});
    await expectAuthError(refreshWith(bound.refreshToken, new Date(), { proofJkt: 'o'.repeat(43) }), 'invalid_grant', {
      reason: 'wrong_key',
      cause: 'key_lost',
    });
    await expectAuthError(refreshWith(bound.refreshToken, new Date(), { proofJkt: null }), 'invalid_grant', {
      reason: 'wrong_key',
      cause: 'key_lost',
    });
    const sessions = await listSessions(bound.accessClaims);
    const listed = sessions.find((session) => session.id === bound.sessionId)!;
    expect(listed).toMatchObject({ keyBound: true, refused: { count: 2, lastAt: expect.any(Number) } });
    expect(sessions.find((session) => session.id === plain.sessionId)).toMatchObject({
      keyBound: false,
      refused: null,
    });
  });
});
