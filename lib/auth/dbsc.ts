import 'server-only';
import { base64url } from 'jose';
import { boundCookieName } from './bound-cookie';
import { secureCookies } from './cookie';
import { AuthError } from './errors';
import { importPublicKey, readProof, verifyProofSignature, type ProofRules } from './proof-jws';
import { readSignedValue, signValue } from './signed-value';
import { markUsedInStore } from './used-proofs';

/**
 * Device Bound Session Credentials (W3C WebAppSec DBSC): on browsers that support it, the refresh session is bound to
 * a key in the device's hardware (the DBSC key). At sign-in the server offers registration
 * (`Secure-Session-Registration`); the browser makes a key, proves it to the registration endpoint and receives a
 * short-lived bound cookie (lib/auth/bound-cookie.ts). Before that cookie expires the browser proves the key again at
 * the refresh endpoint, by itself. A copied refresh cookie cannot get a bound cookie (no key), so it stops working when
 * the copied bound cookie expires.
 *
 * Challenges are signed values (lib/auth/signed-value.ts: the session id, an expiry and random bytes; unforgeable,
 * valid on every instance) and single-use: the store records each one a proof answered (lib/auth/used-proofs.ts).
 */

export const DBSC_PATHS = { register: '/api/auth/dbsc/register', refresh: '/api/auth/dbsc/refresh' } as const;
export const DBSC_HEADERS = {
  registration: 'Secure-Session-Registration',
  challenge: 'Secure-Session-Challenge',
  response: 'Secure-Session-Response',
  sessionId: 'Sec-Secure-Session-Id',
} as const;

const ALGS = ['ES256'] as const;
const CHALLENGE_SECONDS = 300;

function refuse(message: string): never {
  throw new AuthError('invalid_dbsc_proof', message);
}

const proofRules = <Jwk extends 'required' | 'forbidden'>(jwk: Jwk): ProofRules<Jwk> => ({
  typ: 'dbsc+jwt',
  algs: ALGS,
  maxLength: 4096,
  jwk,
  name: 'DBSC proof',
  refuse,
});

/** A one-time challenge for a session, good for five minutes. */
export async function newChallenge(sessionId: string, now = new Date()): Promise<string> {
  return signValue('dbsc-challenge', {
    subject: sessionId,
    payload: base64url.encode(crypto.getRandomValues(new Uint8Array(12))),
    expiresAt: Math.floor(now.getTime() / 1000) + CHALLENGE_SECONDS,
  });
}

/** The header that offers a browser DBSC registration for a session. */
export async function registrationHeader(sessionId: string): Promise<string> {
  return `(${ALGS.join(' ')});path="${DBSC_PATHS.register}";challenge="${await newChallenge(sessionId)}"`;
}

/** The header that hands the browser a fresh challenge for its session. */
export async function challengeHeader(sessionId: string): Promise<string> {
  return `"${await newChallenge(sessionId)}";id="${sessionId}"`;
}

/** The string in a structured-field string header (`"…"`; a bare token is taken as is), or null. */
export function headerString(value: string | null): string | null {
  if (value === null) return null;
  const match = /^\s*"([^"\\]*)"\s*(;.*)?$/.exec(value) ?? /^\s*([^";\s]+)\s*(;.*)?$/.exec(value);
  return match?.[1] || null;
}

/** Verifies the signature with `key`, then that the jti is a fresh challenge for the session, not used before. */
async function verifyChallengeProof(
  proof: string,
  key: CryptoKey,
  jkt: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  const { jti } = await verifyProofSignature(proof, key, proofRules('required'), now);
  const challenge = await readSignedValue('dbsc-challenge', jti, { subject: sessionId, now });
  if (challenge === null) {
    throw new AuthError(
      'invalid_dbsc_proof',
      'The DBSC proof does not sign a fresh challenge of this session.',
      {},
      { stale: true },
    );
  }
  if (!(await markUsedInStore({ jkt, id: jti as string }, challenge.expiresAt * 1000, now.getTime()))) {
    throw new AuthError('invalid_dbsc_proof', 'The DBSC challenge was used before.', {}, { stale: true });
  }
}

/**
 * Checks a registration proof (header typ dbsc+jwt, alg ES256, the new public key in `jwk`; jti = a challenge this
 * server issued for the session, used once) and returns the public key to store, as JSON.
 */
export async function verifyRegistration(value: string | null, sessionId: string, now = new Date()): Promise<string> {
  const { proof, key } = await readProof(headerString(value), proofRules('required'));
  await verifyChallengeProof(proof, key.key, key.jkt, sessionId, now);
  return JSON.stringify(key.jwk);
}

/**
 * Checks a refresh proof against the session's stored key: no `jwk` in the header (the key is the registered one),
 * jti = a fresh challenge of this session, used once. Throws invalid_dbsc_proof; `options.stale` when only the
 * challenge was wrong (the browser should sign a new one).
 */
export async function verifyRefreshProof(
  value: string | null,
  sessionId: string,
  storedJwk: string,
  now = new Date(),
): Promise<void> {
  const { proof } = await readProof(headerString(value), proofRules('forbidden'));
  // The stored key passed importPublicKey at registration; imported once per process, like a proof's key.
  const stored = await importPublicKey(JSON.parse(storedJwk));
  if (!stored) refuse("The session's registered key cannot be used.");
  await verifyChallengeProof(proof, stored.key, stored.jkt, sessionId, now);
}

/** The session instructions (registration and refresh answer with them): the session, its refresh URL, one cookie. */
export function sessionInstructions(sessionId: string) {
  const secure = secureCookies() ? ' Secure;' : '';
  return {
    session_identifier: sessionId,
    refresh_url: DBSC_PATHS.refresh,
    scope: { include_site: false, scope_specification: [] },
    credentials: [{ type: 'cookie', name: boundCookieName(), attributes: `Path=/;${secure} HttpOnly; SameSite=Lax` }],
  };
}

/** The instructions that end the browser's DBSC session (its refresh session is over). */
export const endInstructions = (sessionId: string) => ({ session_identifier: sessionId, continue: false });
