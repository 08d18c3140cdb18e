import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator for the API suites, made with node:crypto: it hand-builds what a browser and an
 * authenticator would send (client data, authenticator data, a `none` attestation in CBOR, ES256 signatures) so the
 * tests can also send what no honest one would (another origin or rpId, flags missing, a counter going backwards).
 * Only the tests build these bytes; the app reads them with SimpleWebAuthn.
 */

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

// The few CBOR shapes an attestation object and a COSE key need (RFC 8949): unsigned and negative integers, byte and
// text strings, maps.
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

/** Authenticator-data flags (WebAuthn §6.1). */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

/** What a ceremony's answer is made with instead of the honest values. */
export interface Tamper {
  origin?: string;
  rpId?: string;
  /** The flags byte, instead of UP | UV (| BE | BS for a synced passkey) (| AT for a registration). */
  flags?: number;
  /** The challenge echoed in the client data (base64url), instead of the options'. */
  challenge?: string;
  type?: string;
  /** The signature counter the authenticator reports, instead of one more than last time. */
  counter?: number;
  /** Signs with another key (a bad signature). */
  wrongKey?: boolean;
  /** The credential id sent, instead of this credential's. */
  credentialId?: string;
}

interface Options {
  challenge: string;
  rp?: { id?: string };
  rpId?: string;
  user?: { id: string };
}

/** One passkey on a software authenticator: a P-256 key, a random credential id and a counter. */
export class SoftPasskey {
  readonly id = b64url(randomBytes(16));
  readonly #key: KeyObject;
  #counter = 0;
  /** The user handle the registration options named (base64url): returned with every assertion. */
  userHandle: string | undefined;

  constructor(
    readonly origin: string,
    readonly synced = false,
  ) {
    this.#key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  }

  get rpId(): string {
    return new URL(this.origin).hostname;
  }

  #flags(extra: number): number {
    return FLAGS.UP | FLAGS.UV | (this.synced ? FLAGS.BE | FLAGS.BS : 0) | extra;
  }

  #clientData(kind: 'webauthn.create' | 'webauthn.get', challenge: string, tamper: Tamper): Buffer {
    const data = {
      type: tamper.type ?? kind,
      challenge: tamper.challenge ?? challenge,
      origin: tamper.origin ?? this.origin,
      crossOrigin: false,
    };
    return Buffer.from(JSON.stringify(data));
  }

  #counterBytes(tamper: Tamper): Buffer {
    const counter = tamper.counter ?? this.#counter + 1;
    this.#counter = Math.max(this.#counter, counter);
    const out = Buffer.alloc(4);
    out.writeUInt32BE(counter);
    return out;
  }

  /** A `navigator.credentials.create()` answer to registration options, as JSON (attestation `none`). */
  create(options: Options, tamper: Tamper = {}): Record<string, unknown> {
    this.userHandle = options.user?.id;
    const clientData = this.#clientData('webauthn.create', options.challenge, tamper);
    const jwk = this.#key.export({ format: 'jwk' });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const credentialId = Buffer.from(tamper.credentialId ?? this.id, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(tamper.rpId ?? this.rpId),
      Buffer.from([tamper.flags ?? this.#flags(FLAGS.AT)]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLength,
      credentialId,
      cbor(coseKey),
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = b64url(credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** A `navigator.credentials.get()` answer to authentication options, as JSON. */
  get(options: Options, tamper: Tamper = {}): Record<string, unknown> {
    const clientData = this.#clientData('webauthn.get', options.challenge, tamper);
    const authData = Buffer.concat([
      sha256(tamper.rpId ?? this.rpId),
      Buffer.from([tamper.flags ?? this.#flags(0)]),
      this.#counterBytes(tamper),
    ]);
    const signer = tamper.wrongKey ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : this.#key;
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), signer);
    const id = tamper.credentialId ?? this.id;
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }
}
