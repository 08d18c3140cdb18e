// A software passkey for the benchmark's passkey sign-ins (as e2e/authenticator.ts is the API suites'): a P-256 key
// whose COSE public key is seeded into the store, and assertions made with node:crypto. Counter 0, as synced passkeys
// report: concurrent sign-ins by one credential then never look like a counter going backwards.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const sha256 = (/** @type {Buffer | string} */ data) => createHash('sha256').update(data).digest();

/** @typedef {{ id: string, privateKey: import('node:crypto').KeyObject, publicKey: string }} Passkey */

/** A new passkey: its credential id, its private key, and its COSE public key (base64url) for the passkeys table. */
export function newPasskey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = privateKey.export({ format: 'jwk' });
  // CBOR map {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}.
  const cose = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
    Buffer.from(/** @type {string} */ (x), 'base64url'),
    Buffer.from([0x22, 0x58, 0x20]),
    Buffer.from(/** @type {string} */ (y), 'base64url'),
  ]);
  return { id: randomBytes(16).toString('base64url'), privateKey, publicKey: cose.toString('base64url') };
}

/**
 * A `navigator.credentials.get()` answer, as JSON, to a challenge, at an origin (its host name is the rpId), with user
 * presence and verification.
 * @param {Passkey} passkey @param {string} challenge @param {string} origin @param {string} userId
 */
export function assertion(passkey, challenge, origin, userId) {
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }));
  const authData = Buffer.concat([sha256(new URL(origin).hostname), Buffer.from([0x05]), Buffer.alloc(4)]);
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), passkey.privateKey);
  return {
    id: passkey.id,
    rawId: passkey.id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: clientData.toString('base64url'),
      authenticatorData: authData.toString('base64url'),
      signature: signature.toString('base64url'),
      userHandle: Buffer.from(userId).toString('base64url'),
    },
  };
}
