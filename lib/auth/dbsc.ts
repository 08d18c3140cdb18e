import 'server-only';
import { base64url, decodeProtectedHeader, jwtVerify } from 'jose';
import { getConfig } from '@/lib/config';
import { boundCookieName } from './bound-cookie';
import { addToStore, COMPACT_JWS, importPublicKey } from './dpop';
import { AuthError } from './errors';
import { getDbscChallengeKey } from './keys';

/**
 * Device Bound Session Credentials (W3C WebAppSec DBSC): on browsers that support it, the refresh session is bound to
 * a key in the device's hardware. At sign-in the server offers registration (`Secure-Session-Registration`); the
 * browser makes a key, proves it to the registration endpoint and receives a short-lived bound cookie
 * (lib/auth/bound-cookie.ts). Before that cookie expires the browser proves the key again at the refresh endpoint, by
 * itself. A copied refresh cookie cannot get a bound cookie (no key), so it stops working when the copied bound cookie
 * expires.
 *
 * Challenges are stateless (an HMAC of the session id, an expiry and random bytes: unforgeable, valid on every
 * instance) and single-use: the store records each one a proof used, like a DPoP proof's jti.
 */

export const DBSC_PATHS = { register: '/api/auth/dbsc/register', refresh: '/api/auth/dbsc/refresh' } as const;
export const DBSC_HEADERS = {
  registration: 'Secure-Session-Registration',
  challenge: 'Secure-Session-Challenge',
  response: 'Secure-Session-Response',
  sessionId: 'Sec-Secure-Session-Id',
} as const;

const PROOF_TYP = 'dbsc+jwt';
const ALGS = ['ES256'];
const CHALLENGE_SECONDS = 300;
const MAX_PROOF_LENGTH = 4096;
const encoder = new TextEncoder();

function refuse(message: string): never {
  throw new AuthError('invalid_dbsc_proof', message);
}

async function challengeMac(sessionId: string, body: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await getDbscChallengeKey(), encoder.encode(`${sessionId}.${body}`));
  return base64url.encode(new Uint8Array(mac).slice(0, 16));
}

/** A one-time challenge for a session, good for five minutes. */
export async function newChallenge(sessionId: string, now = new Date()): Promise<string> {
  const body = `${(Math.floor(now.getTime() / 1000) + CHALLENGE_SECONDS).toString(36)}.${base64url.encode(crypto.getRandomValues(new Uint8Array(12)))}`;
  return `${body}.${await challengeMac(sessionId, body)}`;
}

/** The challenge's expiry (epoch seconds) when it was made by this server for this session and is still fresh. */
async function challengeExpiry(challenge: unknown, sessionId: string, now: Date): Promise<number | null> {
  const match = typeof challenge === 'string' ? /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/.exec(challenge) : null;
  if (!match) return null;
  const expiresAt = Number.parseInt(match[1]!, 36);
  if (expiresAt * 1000 <= now.getTime()) return null;
  return match[3] === (await challengeMac(sessionId, `${match[1]}.${match[2]}`)) ? expiresAt : null;
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

/** Decodes a proof's header after the checks that need no key: size, compact form, typ and alg. */
function proofHeader(proof: string | null): { proof: string; header: ReturnType<typeof decodeProtectedHeader> } {
  if (!proof || proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) {
    refuse('Send a DBSC proof (a compact JWS) in Secure-Session-Response.');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    refuse('The DBSC proof\'s header is malformed.');
  }
  if (header.typ !== PROOF_TYP) refuse(`The DBSC proof's typ must be ${PROOF_TYP}.`);
  if (typeof header.alg !== 'string' || !ALGS.includes(header.alg)) refuse(`The DBSC proof's alg must be one of ${ALGS.join(', ')}.`);
  return { proof, header };
}

/** Verifies the signature with `key`, then that the jti is a fresh challenge for the session, not used before. */
async function verifyChallengeProof(proof: string, key: CryptoKey, jkt: string, sessionId: string, now: Date): Promise<void> {
  let jti: unknown;
  try {
    ({ payload: { jti } } = await jwtVerify(proof, key, { typ: PROOF_TYP, algorithms: ALGS, currentDate: now }));
  } catch {
    refuse('The DBSC proof\'s signature does not verify.');
  }
  const expiresAt = await challengeExpiry(jti, sessionId, now);
  if (expiresAt === null) throw new AuthError('invalid_dbsc_proof', 'The DBSC proof does not sign a fresh challenge of this session.', {}, { stale: true });
  if (!(await addToStore({ jkt, jti: jti as string }, expiresAt * 1000, now.getTime()))) {
    throw new AuthError('invalid_dbsc_proof', 'The DBSC challenge was used before.', {}, { stale: true });
  }
}

/**
 * Checks a registration proof (header typ dbsc+jwt, alg ES256, the new public key in `jwk`; jti = a challenge this
 * server issued for the session, used once) and returns the public key to store, as JSON.
 */
export async function verifyRegistration(value: string | null, sessionId: string, now = new Date()): Promise<string> {
  const { proof, header } = proofHeader(headerString(value));
  const device = await importPublicKey(header.jwk);
  if (!device) refuse('The registration proof must carry the public EC P-256 key (jwk), no private members.');
  await verifyChallengeProof(proof, device.key, device.jkt, sessionId, now);
  return JSON.stringify(device.jwk);
}

/**
 * Checks a refresh proof against the session's stored key: no `jwk` in the header (the key is the registered one),
 * jti = a fresh challenge of this session, used once. Throws invalid_dbsc_proof; `options.stale` when only the
 * challenge was wrong (the browser should sign a new one).
 */
export async function verifyRefreshProof(value: string | null, sessionId: string, storedJwk: string, now = new Date()): Promise<void> {
  const { proof, header } = proofHeader(headerString(value));
  if ('jwk' in header) refuse('A refresh proof must not carry a key: the session\'s key is the registered one.');
  // The stored key passed importPublicKey at registration; imported once per process, like a proof's key.
  const device = await importPublicKey(JSON.parse(storedJwk));
  if (!device) refuse('The session\'s registered key cannot be used.');
  await verifyChallengeProof(proof, device.key, device.jkt, sessionId, now);
}

/** The session instructions (registration and refresh answer with them): the session, its refresh URL, one cookie. */
export function sessionInstructions(sessionId: string) {
  const secure = getConfig().NODE_ENV === 'production' ? ' Secure;' : '';
  return {
    session_identifier: sessionId,
    refresh_url: DBSC_PATHS.refresh,
    scope: { include_site: false, scope_specification: [] },
    credentials: [{ type: 'cookie', name: boundCookieName(), attributes: `Path=/;${secure} HttpOnly; SameSite=Lax` }],
  };
}

/** The instructions that end the browser's DBSC session (its refresh session is over). */
export const endInstructions = (sessionId: string) => ({ session_identifier: sessionId, continue: false });
