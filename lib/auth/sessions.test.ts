import { afterAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { closeDb, getDb } from '@/lib/db';
import type { PublicUser } from '@/lib/protocol';
import { expectAuthError, refreshWith } from '@/test/auth';
import { registerUser } from './accounts';
import { renewAccessToken } from './renewal';
import { expiredGrantError } from './rotation';
import { revokeSession, startSession } from './sessions';
import { verifyAccessToken, verifyRefreshToken } from './tokens';

// Runs against a real SQLite file (or Postgres when TEST_DATABASE_URL is set): no mocks of the store.

afterAll(closeDb);

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

async function newUser(): Promise<PublicUser> {
  return registerUser({ username: `u${crypto.randomUUID().slice(0, 12)}`, password: 'correct horse battery' });
}

const grantFailure = (promise: Promise<unknown>) => expectAuthError(promise, 'invalid_grant');

async function sessionRow(id: string) {
  const db = await getDb();
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('refresh rotation', () => {
  it('issues a new refresh token and access token on each refresh, in the same session', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), { userAgent: 'test-agent' }, t0);
    const second = await refreshWith(first.refreshToken, at(t0, 1));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.accessClaims.sid).toBe(first.sessionId);
    expect((await verifyAccessToken(second.accessToken)).sub).toBe(first.user.id);
    const { jti } = await verifyRefreshToken(second.refreshToken, at(t0, 1));
    expect((await sessionRow(first.sessionId)).current_jti).toBe(jti);
  });

  it('gives a retry within the grace window the very same successor', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), {}, t0);
    const second = await refreshWith(first.refreshToken, at(t0, 1));
    const retry = await refreshWith(first.refreshToken, at(t0, 1 + getConfig().REFRESH_GRACE_SECONDS - 1));
    expect(retry.refreshToken).toBe(second.refreshToken);
    expect((await sessionRow(first.sessionId)).revoked_at).toBeNull();
  });

  it('treats the predecessor after the grace window as reuse and revokes the whole session', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), {}, t0);
    const second = await refreshWith(first.refreshToken, at(t0, 1));
    const error = await grantFailure(refreshWith(first.refreshToken, at(t0, 2 + getConfig().REFRESH_GRACE_SECONDS)));
    expect(error.detail.reason).toBe('reused');
    expect((await sessionRow(first.sessionId)).revoke_reason).toBe('reused');
    // The legitimate holder of the newest token is out too: the thief and the victim cannot be told apart.
    expect(
      (await grantFailure(refreshWith(second.refreshToken, at(t0, 3 + getConfig().REFRESH_GRACE_SECONDS)))).detail
        .reason,
    ).toBe('reused');
  });

  it('treats an older ancestor as reuse even inside the grace window', async () => {
    const t0 = new Date();
    const c0 = await startSession(await newUser(), {}, t0);
    const c1 = await refreshWith(c0.refreshToken, at(t0, 1));
    await refreshWith(c1.refreshToken, at(t0, 2));
    expect((await grantFailure(refreshWith(c0.refreshToken, at(t0, 3)))).detail.reason).toBe('reused');
  });

  it('records a security event when reuse is detected', async () => {
    const t0 = new Date();
    const c0 = await startSession(await newUser(), {}, t0);
    const c1 = await refreshWith(c0.refreshToken, at(t0, 1));
    await refreshWith(c1.refreshToken, at(t0, 2));
    await grantFailure(refreshWith(c0.refreshToken, at(t0, 3)));
    const db = await getDb();
    const events = await db.selectFrom('security_events').selectAll().where('session_id', '=', c0.sessionId).execute();
    expect(events.map((event) => event.kind)).toEqual(['refresh_token_reused']);
  });

  it('rotates exactly once under 20 concurrent refreshes with the same token', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), {}, t0);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => refreshWith(first.refreshToken, at(t0, 1))),
    );
    const successes = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
    expect(successes).toHaveLength(20);
    expect(new Set(successes.map((issued) => issued.refreshToken)).size).toBe(1);
    const row = await sessionRow(first.sessionId);
    expect(row.generation).toBe(1);
    expect(row.revoked_at).toBeNull();
  });

  it('refuses a revoked session with reason "revoked" and a logged-out one as signed out', async () => {
    const first = await startSession(await newUser(), {});
    await revokeSession(first.sessionId, 'revoked');
    const error = await grantFailure(refreshWith(first.refreshToken));
    expect(error.detail).toMatchObject({ reason: 'revoked', cause: 'revoked' });

    const other = await startSession(await newUser(), {});
    await revokeSession(other.sessionId, 'signed_out');
    expect((await grantFailure(refreshWith(other.refreshToken))).detail).toMatchObject({
      reason: 'revoked',
      cause: 'signed_out',
    });
  });

  it('ends an idle session when its refresh token expires, and says so', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), {}, t0);
    const error = await grantFailure(refreshWith(first.refreshToken, at(t0, getConfig().REFRESH_TOKEN_TTL + 10)));
    expect(error.detail).toMatchObject({ reason: 'expired', cause: 'expired' });
  });

  it('keeps the absolute lifetime across rotations and ends the session at its maximum age', async () => {
    const { REFRESH_TOKEN_TTL: refreshTtl, SESSION_MAX_AGE: sessionMaxAge } = getConfig();
    const t0 = new Date();
    let issued = await startSession(await newUser(), {}, t0);
    const end = Math.floor(t0.getTime() / 1000) + sessionMaxAge;
    // Keep the session busy (a refresh just before every idle expiry) until it nears the maximum age.
    let elapsed = 0;
    while (elapsed + refreshTtl - 60 < sessionMaxAge) {
      elapsed += refreshTtl - 60;
      issued = await refreshWith(issued.refreshToken, at(t0, elapsed));
      expect(issued.refreshExpiresAt).toBeLessThanOrEqual(end);
    }
    const error = await grantFailure(refreshWith(issued.refreshToken, at(t0, sessionMaxAge + 1)));
    expect(error.detail).toMatchObject({ reason: 'expired', cause: 'max_age' });
  });

  it('says "maximum age" for a token that ran out in the last fraction of a second before the maximum age', async () => {
    const { SESSION_MAX_AGE: sessionMaxAge } = getConfig();
    // Half a second past a whole second: the token's exp (whole seconds, capped at the maximum age rounded down) falls
    // half a second before the maximum age itself.
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 + 500);
    const issued = await startSession(await newUser(), {}, t0);
    expect(await expiredGrantError(issued.sessionId, at(t0, sessionMaxAge - 0.3))).toMatchObject({
      detail: { reason: 'expired', cause: 'max_age' },
    });
    expect(await expiredGrantError(issued.sessionId, at(t0, sessionMaxAge - 1))).toMatchObject({
      detail: { reason: 'expired', cause: 'expired' },
    });
  });

  it('refuses a token whose session does not exist', async () => {
    const first = await startSession(await newUser(), {});
    const db = await getDb();
    await db.deleteFrom('sessions').where('id', '=', first.sessionId).execute();
    expect((await grantFailure(refreshWith(first.refreshToken))).detail.reason).toBe('invalid');
  });
});

describe('sliding renewal', () => {
  it('renews the access token of a live session without outliving it', async () => {
    const first = await startSession(await newUser(), {});
    const renewed = await renewAccessToken(first.accessClaims);
    expect(renewed).not.toBeNull();
    expect(renewed!.claims.exp).toBeLessThanOrEqual(first.refreshExpiresAt);
    expect(renewed!.claims.jti).not.toBe(first.accessClaims.jti);
  });

  it('never renews for a revoked session', async () => {
    const first = await startSession(await newUser(), {});
    await revokeSession(first.sessionId, 'revoked');
    expect(await renewAccessToken(first.accessClaims)).toBeNull();
  });
});

describe('DPoP-bound sessions', () => {
  const KEY = 'k'.repeat(43);
  const OTHER = 'o'.repeat(43);

  it('binds the session and its access tokens to the key it was started with, through every rotation', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), { jkt: KEY }, t0);
    expect(first.accessClaims.cnf).toEqual({ jkt: KEY });
    const second = await refreshWith(first.refreshToken, at(t0, 1), { proofJkt: KEY });
    expect(second.accessClaims.cnf).toEqual({ jkt: KEY });
    expect((await verifyAccessToken(second.accessToken)).cnf).toEqual({ jkt: KEY });
    expect((await sessionRow(first.sessionId)).dpop_jkt).toBe(KEY);
  });

  it('refuses a refresh without a proof, or by another key (wrong_key), and leaves the session running', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), { jkt: KEY }, t0);
    for (const proofJkt of [null, OTHER]) {
      const error = await grantFailure(refreshWith(first.refreshToken, at(t0, 1), { proofJkt }));
      expect(error.detail).toMatchObject({ reason: 'wrong_key', cause: 'key_lost' });
    }
    expect((await sessionRow(first.sessionId)).revoked_at).toBeNull();
    const db = await getDb();
    const events = await db
      .selectFrom('security_events')
      .select('kind')
      .where('session_id', '=', first.sessionId)
      .execute();
    expect(events.map((event) => event.kind)).toEqual(['dpop_key_mismatch', 'dpop_key_mismatch']);
    expect((await refreshWith(first.refreshToken, at(t0, 2), { proofJkt: KEY })).sessionId).toBe(first.sessionId);
  });

  it('judges the key before reuse: an old cookie without the key cannot end the session', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), { jkt: KEY }, t0);
    await refreshWith(first.refreshToken, at(t0, 1), { proofJkt: KEY });
    const stolen = await grantFailure(
      refreshWith(first.refreshToken, at(t0, 2 + getConfig().REFRESH_GRACE_SECONDS), { proofJkt: OTHER }),
    );
    expect(stolen.detail.reason).toBe('wrong_key');
    expect((await sessionRow(first.sessionId)).revoked_at).toBeNull();
  });

  it('binds a session started unbound (DPoP was off) to the key of its first refresh with a proof', async () => {
    const t0 = new Date();
    const first = await startSession(await newUser(), {}, t0);
    expect(first.accessClaims.cnf).toBeUndefined();
    const second = await refreshWith(first.refreshToken, at(t0, 1), { proofJkt: KEY });
    expect(second.accessClaims.cnf).toEqual({ jkt: KEY });
    expect((await grantFailure(refreshWith(second.refreshToken, at(t0, 2), { proofJkt: OTHER }))).detail.reason).toBe(
      'wrong_key',
    );
  });
});
