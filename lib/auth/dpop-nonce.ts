import 'server-only';
import { readSignedValue, signValue } from './signed-value';

/**
 * DPoP nonces (RFC 9449 §8–9), when DPOP_NONCE is on: a signed value (lib/auth/signed-value.ts) naming a five-minute
 * window, so stateless — every instance accepts every other's. A nonce is the same for its whole window, and is accepted
 * during that window and the next.
 */

const NONCE_WINDOW_SECONDS = 300;

/** The nonces of the last windows asked about, by window. */
const nonces = new Map<number, Promise<string>>();

const windowOf = (now: Date) => Math.floor(now.getTime() / 1000 / NONCE_WINDOW_SECONDS);

function nonceFor(window: number): Promise<string> {
  let nonce = nonces.get(window);
  if (!nonce) {
    nonce = signValue('dpop-nonce', { expiresAt: (window + 2) * NONCE_WINDOW_SECONDS });
    if (nonces.size >= 4) nonces.delete(nonces.keys().next().value as number);
    nonces.set(window, nonce);
    nonce.catch(() => nonces.delete(window));
  }
  return nonce;
}

/** The nonce proofs should carry now. */
export function currentNonce(now = new Date()): Promise<string> {
  return nonceFor(windowOf(now));
}

/** Whether a proof's nonce claim is a nonce of this window or the one before. */
export async function isFreshNonce(nonce: unknown, now = new Date()): Promise<boolean> {
  const value = await readSignedValue('dpop-nonce', nonce, { now });
  // Made for the current window (expires two windows on) or the previous one; never a nonce of a later window.
  return value !== null && value.expiresAt <= (windowOf(now) + 2) * NONCE_WINDOW_SECONDS && value.payload === '';
}
