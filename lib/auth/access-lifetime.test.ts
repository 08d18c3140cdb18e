import { afterAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { closeDb, getDb } from '@/lib/db';
import { expectAuthError, refreshWith } from '@/test/auth';
import { registerUser } from './accounts';
import { MIN_ACCESS_TTL, setAccessLifetime } from './access-lifetime';
import { renewAccessToken } from './renewal';
import { startSession } from './sessions';

afterAll(closeDb);

const newSession = async () =>
  startSession(
    await registerUser({ username: `l${crypto.randomUUID().slice(0, 12)}`, password: 'long enough password' }),
    {},
  );
const lifetime = (issued: { accessClaims: { exp: number; iat: number } }) =>
  issued.accessClaims.exp - issued.accessClaims.iat;

describe("a session's access-token lifetime", () => {
  it('is clamped to [MIN_ACCESS_TTL, ACCESS_TOKEN_TTL]', async () => {
    const issued = await newSession();
    expect(lifetime(await setAccessLifetime(issued.accessClaims, 1))).toBe(MIN_ACCESS_TTL);
    expect(lifetime(await setAccessLifetime(issued.accessClaims, 10 * getConfig().ACCESS_TOKEN_TTL))).toBe(
      getConfig().ACCESS_TOKEN_TTL,
    );
  });

  it('applies to every later refresh of that session, and of no other', async () => {
    const issued = await newSession();
    const other = await newSession();
    expect(lifetime(await setAccessLifetime(issued.accessClaims, 10))).toBe(10);
    const refreshed = await refreshWith(issued.refreshToken);
    expect(lifetime(refreshed)).toBe(10);
    expect(lifetime(await refreshWith(refreshed.refreshToken))).toBe(10);
    expect(lifetime(await refreshWith(other.refreshToken))).toBe(getConfig().ACCESS_TOKEN_TTL);
  });

  it('is kept by sliding renewal', async () => {
    const issued = await newSession();
    const short = await setAccessLifetime(issued.accessClaims, 8);
    const renewed = await renewAccessToken(short.accessClaims);
    expect(renewed && renewed.claims.exp - renewed.claims.iat).toBe(8);
  });

  it('cannot be set for a session that has ended', async () => {
    const issued = await newSession();
    const db = await getDb();
    await db
      .updateTable('sessions')
      .set({ revoked_at: Date.now(), revoke_reason: 'revoked' })
      .where('id', '=', issued.sessionId)
      .execute();
    await expectAuthError(setAccessLifetime(issued.accessClaims, 10), 'invalid_token');
  });
});
