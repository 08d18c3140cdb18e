import 'server-only';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { stringField } from '@/lib/fields';
import { AuthError } from './errors';
import { readSignedValue, signValue } from './signed-value';
import { markUsedInStore } from './used-proofs';

/**
 * The WebAuthn relying party's rules, on SimpleWebAuthn (no CBOR, COSE or authenticator data is parsed here): the
 * options a ceremony starts with, its one-time challenge, and the checks of what the browser sends back.
 *
 * - Registration: resident key required (discoverable, for usernameless sign-in), user verification required,
 *   attestation `none`, ES256 and RS256 (Windows Hello), the user's passkeys excluded.
 * - Verification: origin and rpId (from APP_ORIGIN, else the request's own), the UP and UV flags, the challenge.
 * - Challenges are signed values (lib/auth/signed-value.ts) for one ceremony and scope — the session that adds or
 *   re-authenticates, the username being created — good for five minutes and accepted once (lib/auth/used-proofs.ts).
 *   Nothing is stored until a challenge is answered.
 */

/** Who the relying party is for this request: its rpId (a host name) and the origin browsers use. */
export interface RelyingParty {
  id: string;
  origin: string;
}

const RP_NAME = 'JWT session reference';
const CHALLENGE_SECONDS = 300;
/** COSE algorithm ids: ES256 (-7) and RS256 (-257, Windows Hello). */
const ALGORITHMS = [-7, -257];

/** A WebAuthn ceremony: signing in, creating an account, adding a passkey, proving it is you again. */
export type Ceremony = 'sign-in' | 'create' | 'add' | 'reauth';

/** What a ceremony's challenge is bound to: the ceremony, and its scope (a session id, a username, or nothing). */
export interface ChallengeScope {
  ceremony: Ceremony;
  scope?: string;
}

const subjectOf = ({ ceremony, scope = '' }: ChallengeScope) => `${ceremony}:${scope}`;

/** A new challenge for a ceremony, carrying `payload` (base64url, at most 64 characters) or 16 random bytes. */
export async function newChallenge(bound: ChallengeScope, payload?: string, now = new Date()): Promise<string> {
  return signValue('webauthn-challenge', {
    subject: subjectOf(bound),
    payload: payload ?? isoBase64URL.fromBuffer(crypto.getRandomValues(new Uint8Array(16))),
    expiresAt: Math.floor(now.getTime() / 1000) + CHALLENGE_SECONDS,
  });
}

/**
 * Takes the challenge a response answers: it must be one this server made for this ceremony and scope, unexpired, and
 * never answered before (it is used up here, whatever the rest of the response holds). Returns the challenge as the
 * client data carries it (for the library's own comparison) and its payload. Throws 400 `invalid_challenge`.
 */
async function takeChallenge(
  clientDataJSON: string,
  bound: ChallengeScope,
  now: Date,
): Promise<{ expected: string; payload: string }> {
  let expected: string;
  try {
    const challenge: unknown = decodeClientDataJSON(clientDataJSON).challenge;
    if (typeof challenge !== 'string' || !isoBase64URL.isBase64URL(challenge)) throw new TypeError('no challenge');
    expected = challenge;
  } catch {
    throw new AuthError('invalid_challenge', 'The response carries no readable challenge.');
  }
  const signed = await readSignedValue(
    'webauthn-challenge',
    isoUint8Array.toUTF8String(isoBase64URL.toBuffer(expected)),
    {
      subject: subjectOf(bound),
      now,
    },
  );
  if (!signed)
    throw new AuthError(
      'invalid_challenge',
      'The challenge has expired or was not made for this ceremony; start again.',
    );
  const fresh = await markUsedInStore(
    { jkt: `webauthn:${bound.ceremony}`, id: signed.payload },
    signed.expiresAt * 1000,
    now.getTime(),
  );
  if (!fresh) throw new AuthError('invalid_challenge', 'The challenge was answered before; start again.');
  return { expected, payload: signed.payload };
}

/** A stored passkey as the ceremonies need it. */
export interface StoredCredential {
  id: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
}

const transportsOf = (credential: Pick<StoredCredential, 'id' | 'transports'>) => ({
  id: credential.id,
  transports: credential.transports as AuthenticatorTransport[],
});

/** The options of a registration: a new discoverable, user-verifying credential for `user`, none of `existing` again. */
export async function registrationOptions(
  rp: RelyingParty,
  user: { id: string; username: string },
  existing: Pick<StoredCredential, 'id' | 'transports'>[],
  challenge: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userID: isoUint8Array.fromUTF8String(user.id),
    userName: user.username,
    userDisplayName: user.username,
    challenge,
    timeout: CHALLENGE_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map(transportsOf),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
}

/** The options of an assertion: any discoverable passkey (sign-in), or one of `allowed` (re-authentication). */
export async function authenticationOptions(
  rp: RelyingParty,
  challenge: string,
  allowed?: Pick<StoredCredential, 'id' | 'transports'>[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: CHALLENGE_SECONDS * 1000,
    userVerification: 'required',
    allowCredentials: allowed?.map(transportsOf),
  });
}

/** A credential the browser made, checked: what the store keeps of it. */
export interface NewCredential extends StoredCredential {
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
}

/**
 * Checks a registration response against its challenge (taken here), the origin, the rpId, the UP and UV flags and the
 * allowed algorithms. Returns the new credential and the challenge's payload. Throws 400 `invalid_challenge` or
 * `invalid_passkey`.
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  bound: ChallengeScope,
  now = new Date(),
): Promise<{ credential: NewCredential; payload: string }> {
  const { expected, payload } = await takeChallenge(response.response.clientDataJSON, bound, now);
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: expected,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    supportedAlgorithmIDs: ALGORITHMS,
  }).catch((error: unknown) => {
    throw new AuthError('invalid_passkey', `The passkey could not be registered: ${messageOf(error)}`);
  });
  if (!verified.verified) throw new AuthError('invalid_passkey', 'The passkey could not be registered.');
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  return {
    credential: {
      id: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    },
    payload,
  };
}

/** A verified assertion: the authenticator's new counter and backup state. */
export interface Assertion {
  newCounter: number;
  backedUp: boolean;
}

/** Takes the challenge of an assertion (throws 400 `invalid_challenge`); call it before looking the credential up. */
export async function takeAssertionChallenge(
  response: AuthenticationResponseJSON,
  bound: ChallengeScope,
  now = new Date(),
): Promise<string> {
  return (await takeChallenge(response.response.clientDataJSON, bound, now)).expected;
}

/**
 * Checks an assertion by `credential` against its challenge (taken by {@link takeAssertionChallenge}), the origin, the
 * rpId, the UP and UV flags and the signature. The counter is the caller's to judge (so that a counter that went
 * backwards is told apart). Throws 401 `invalid_credentials` for anything that does not verify.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  credential: StoredCredential,
  expectedChallenge: string,
): Promise<Assertion> {
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    // Counter 0: the library's own counter rule stays out of it; the caller compares, and records a regression.
    credential: {
      id: credential.id,
      publicKey: isoBase64URL.toBuffer(credential.publicKey),
      counter: 0,
      transports: credential.transports as AuthenticatorTransport[],
    },
  }).catch(() => ({ verified: false }) as const);
  if (!verified.verified) throw new AuthError('invalid_credentials', 'The passkey was not accepted.');
  return {
    newCounter: verified.authenticationInfo.newCounter,
    backedUp: verified.authenticationInfo.credentialBackedUp,
  };
}

/** Whether a counter moved forward as the spec requires: either side non-zero and the new one not greater is a regression. */
export const counterRegressed = (stored: number, presented: number): boolean =>
  (stored > 0 || presented > 0) && presented <= stored;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'it does not verify');

const base64urlField = (name: string, max: number) =>
  stringField(name)
    .max(max, { error: `${name} must be at most ${max} characters` })
    .regex(/^[A-Za-z0-9_-]*$/, { error: `${name} must be base64url` });

const credentialFields = {
  id: base64urlField('id', 1400).min(1, { error: 'id is required' }),
  rawId: base64urlField('rawId', 1400),
  type: z.literal('public-key', { error: 'type must be "public-key"' }),
  clientExtensionResults: z
    .record(z.string(), z.unknown(), { error: 'clientExtensionResults must be an object' })
    .default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

/**
 * A `navigator.credentials.create()` result as JSON, bounded. Typed as SimpleWebAuthn's RegistrationResponseJSON, whose
 * transports are a closed union the schema leaves open (the library ignores the ones it does not know).
 */
export const registrationResponseSchema = z.object(
  {
    ...credentialFields,
    response: z.object(
      {
        clientDataJSON: base64urlField('response.clientDataJSON', 4096),
        attestationObject: base64urlField('response.attestationObject', 8192),
        authenticatorData: base64urlField('response.authenticatorData', 4096).optional(),
        transports: z.array(z.string().max(32), { error: 'response.transports must be an array' }).max(10).optional(),
        publicKeyAlgorithm: z.number().int().optional(),
        publicKey: base64urlField('response.publicKey', 4096).optional(),
      },
      { error: 'response must be an object' },
    ),
  },
  { error: 'the credential must be an object' },
) as unknown as z.ZodType<RegistrationResponseJSON>;

/** A `navigator.credentials.get()` result as JSON, bounded; typed as SimpleWebAuthn's AuthenticationResponseJSON. */
export const authenticationResponseSchema = z.object(
  {
    ...credentialFields,
    response: z.object(
      {
        clientDataJSON: base64urlField('response.clientDataJSON', 4096),
        authenticatorData: base64urlField('response.authenticatorData', 4096),
        signature: base64urlField('response.signature', 2048),
        userHandle: base64urlField('response.userHandle', 128).optional(),
      },
      { error: 'response must be an object' },
    ),
  },
  { error: 'the assertion must be an object' },
) as unknown as z.ZodType<AuthenticationResponseJSON>;
