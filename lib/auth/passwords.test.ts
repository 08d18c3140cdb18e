import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery staplE')).toBe(false);
  });

  it('does not truncate: passwords differing only after byte 72 do not match', async () => {
    const prefix = 'x'.repeat(72);
    const hash = await hashPassword(prefix + 'tail-one');
    expect(await verifyPassword(hash, prefix + 'tail-two')).toBe(false);
    expect(await verifyPassword(hash, prefix)).toBe(false);
    expect(await verifyPassword(hash, prefix + 'tail-one')).toBe(true);
  });

  it('treats a missing hash (unknown user) as a mismatch, and a garbage hash too', async () => {
    expect(await verifyPassword(undefined, 'anything')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});
