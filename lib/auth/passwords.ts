import 'server-only';
import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane). Hashing runs on libuv's
 * thread pool, so the event loop stays free while a login is being checked. No truncation: every byte counts.
 */

// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let decoy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash (constant-time inside argon2). With no hash (an unknown user, or an account
 * that has passkeys only) it checks against a decoy so that every refusal takes the same time and says the same thing.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hashPassword(crypto.randomUUID());
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
