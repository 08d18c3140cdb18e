// Shared with the edge runtime (the middleware checks the DBSC bound cookie): Web Crypto and jose only, no store.
import { base64url } from 'jose';
import { getSignedValueKey, type SignedValueLabel } from './keys';

/**
 * Signed values: short strings this server hands out and later takes back without looking anything up — DPoP nonces,
 * DBSC challenges and DBSC bound cookies. One format for all: `<expiry>.<payload>.<mac>`, where the expiry is epoch
 * seconds in base 36, the payload is base64url (possibly empty) and the mac is the full HMAC-SHA256, base64url, of the
 * label, the subject the value is for (a session id, or nothing), the expiry and the payload — under a key of the
 * label's own. Checking it is Web Crypto's HMAC verify (constant time), and only the canonical encoding passes.
 */

export type { SignedValueLabel };

/** What a signed value says, once its MAC and expiry have been checked. */
export interface SignedValue {
  /** Epoch seconds after which the value is refused. */
  expiresAt: number;
  payload: string;
}

export interface SignOptions {
  /** Who the value is for (a session id): it is valid for that subject only. */
  subject?: string;
  /** Base64url characters only; may be empty. */
  payload?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

const encoder = new TextEncoder();
const FORMAT = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{0,64})\.([A-Za-z0-9_-]{43})$/;
const PAYLOAD = /^[A-Za-z0-9_-]{0,64}$/;

const message = (label: SignedValueLabel, subject: string, expiry: string, payload: string) =>
  encoder.encode(`${label}\n${subject}\n${expiry}.${payload}`);

/** Makes a signed value. Deterministic: the same label, subject, payload and expiry give the same string. */
export async function signValue(
  label: SignedValueLabel,
  { subject = '', payload = '', expiresAt }: SignOptions,
): Promise<string> {
  if (!PAYLOAD.test(payload) || !Number.isSafeInteger(expiresAt) || expiresAt < 0) {
    throw new TypeError(
      'jwt-session-reference: Bad usage. A signed value takes a base64url payload and an expiry in epoch seconds.',
    );
  }
  const expiry = expiresAt.toString(36);
  const mac = await crypto.subtle.sign(
    'HMAC',
    await getSignedValueKey(label),
    message(label, subject, expiry, payload),
  );
  return `${expiry}.${payload}.${base64url.encode(new Uint8Array(mac))}`;
}

/**
 * What a signed value says when it was made by this server for this label and subject and has not expired; null for
 * anything else (malformed, another label or subject, tampered, expired). Never throws for bad input.
 */
export async function readSignedValue(
  label: SignedValueLabel,
  value: unknown,
  { subject = '', now = new Date() }: { subject?: string; now?: Date } = {},
): Promise<SignedValue | null> {
  const match = typeof value === 'string' ? FORMAT.exec(value) : null;
  if (!match) return null;
  const [, expiry, payload, mac] = match as unknown as [string, string, string, string];
  const expiresAt = Number.parseInt(expiry, 36);
  if (expiresAt * 1000 <= now.getTime()) return null;
  const signature = new Uint8Array(base64url.decode(mac));
  // Several strings decode to the same bytes (the last character's spare bits): only the one this server writes passes.
  if (base64url.encode(signature) !== mac) return null;
  const valid = await crypto.subtle.verify(
    'HMAC',
    await getSignedValueKey(label),
    signature,
    message(label, subject, expiry, payload),
  );
  return valid ? { expiresAt, payload } : null;
}
