import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectRejection } from '@/test/rejection';

// Each step re-imports the token module with a different JWT_PRIVATE_KEYS, as a server restarted (or a new instance
// started) with the new configuration would.

function newKey(kid: string) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid };
}

async function withKeys(keys: object[], env: Record<string, string> = {}) {
  vi.resetModules();
  vi.stubEnv('JWT_PRIVATE_KEYS', JSON.stringify(keys));
  vi.stubEnv('JWT_ALG', 'ES256');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const tokens = await import('./tokens');
  const keysModule = await import('./keys');
  // The error class of these fresh module instances: the one imported at the top of a test file is another.
  const { AuthError } = await import('./errors');
  return { ...tokens, ...keysModule, AuthError };
}

/** The code of the AuthError a fresh token module's verify rejects with. */
async function refusal(modules: Awaited<ReturnType<typeof withKeys>>, token: string): Promise<string> {
  return (await expectRejection(modules.verifyAccessToken(token), modules.AuthError)).code;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('signing-key rotation', () => {
  const oldKey = newKey('2026-01-old');
  const newKeyJwk = newKey('2026-06-new');

  it('keeps tokens signed by the old key valid after the new key takes over, until they expire', async () => {
    const before = await withKeys([oldKey]);
    const { token } = await before.signAccessToken({ userId: 'u', sessionId: 's' });

    const staged = await withKeys([newKeyJwk, oldKey]);
    await expect(staged.verifyAccessToken(token)).resolves.toMatchObject({ sub: 'u', sid: 's' });
    const fresh = await staged.signAccessToken({ userId: 'u', sessionId: 's' });
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0]!, 'base64url').toString()).kid).toBe('2026-06-new');

    const retired = await withKeys([newKeyJwk]);
    expect(await refusal(retired, token)).toBe('invalid_token');
    await expect(retired.verifyAccessToken(fresh.token)).resolves.toMatchObject({ sub: 'u', sid: 's' });
  });

  it('publishes the public halves of every listed key, and never a private part', async () => {
    const { getAccessKeys } = await withKeys([newKeyJwk, oldKey]);
    const { publicJwks } = await getAccessKeys();
    expect(publicJwks.map((key) => key.kid)).toEqual(['2026-06-new', '2026-01-old']);
    for (const key of publicJwks) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
  });

  it('with JWT_ALG=HS256 signs with a key derived from AUTH_SECRET and publishes nothing', async () => {
    const hs = await withKeys([oldKey], { JWT_ALG: 'HS256' });
    const { token } = await hs.signAccessToken({ userId: 'u', sessionId: 's' });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('HS256');
    await expect(hs.verifyAccessToken(token)).resolves.toMatchObject({ sub: 'u', sid: 's' });
    expect((await hs.getAccessKeys()).publicJwks).toEqual([]);
    const es = await withKeys([oldKey]);
    expect(await refusal(es, token)).toBe('invalid_token');
  });

  it('rejects malformed JWT_PRIVATE_KEYS with a message naming the variable', async () => {
    for (const value of [
      'not json',
      '[]',
      '[{"kty":"EC"}]',
      JSON.stringify([{ ...oldKey, kid: undefined }]),
      JSON.stringify([oldKey, oldKey]),
    ]) {
      vi.resetModules();
      vi.stubEnv('JWT_PRIVATE_KEYS', value);
      const { getAccessKeys } = await import('./keys');
      await expect(getAccessKeys(), value).rejects.toThrow(/JWT_PRIVATE_KEYS/);
    }
  });
});
