// Shared with the edge runtime (the middleware reads the refresh cookie): jose on Web Crypto, no store.
import { SignJWT, errors as joseErrors, jwtVerify, type JWTHeaderParameters, type JWTVerifyOptions } from 'jose';
import { BoundedMap } from '@/lib/bounded-map';
import { getConfig } from '@/lib/config';
import { AuthError } from './errors';
import { getAccessKeys, getRefreshKey } from './keys';

/**
 * Where tokens are made and checked. Middleware, route handlers and server code all verify through this module.
 *
 * Access token (RFC 9068 profile): typ "at+jwt", pinned alg, kid, claims iss, sub, aud [clientId, serverId], client_id,
 * exp, nbf, iat, jti, sid, amr and auth_time (how and when the session signed in, OIDC Core §2), and cnf.jkt when it is
 * bound to the browser's DPoP key (RFC 9449 §6).
 * Refresh token: typ "rt+jwt", HS256, claims iss, sub, aud serverId, sid, jti, iat, exp.
 * Neither is ever accepted as the other: typ, key and audience all differ.
 */

export const ACCESS_TOKEN_TYP = 'at+jwt';
export const REFRESH_TOKEN_TYP = 'rt+jwt';

/** Allowed clock skew, in seconds, when an access token is checked (by us or another service). Refresh tokens get none. */
export const CLOCK_TOLERANCE = 5;

/** Tokens longer than this are refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;

/** Header parameters that would let a token pick its own key; refused outright, never fetched. */
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  client_id: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  /** How the session signed in (RFC 8176 values): `["pwd"]`, or a passkey's `["hwk", "user"]` / `["swk", "user"]`. */
  amr: string[];
  /** When the session signed in, epoch seconds (a refresh keeps it). */
  auth_time: number;
  /** The confirmation: the RFC 7638 thumbprint of the key every use of the token must be proved with. */
  cnf?: { jkt: string };
}

export interface RefreshTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export interface AccessTokenInput {
  userId: string;
  sessionId: string;
  /** Lifetime in seconds (defaults to ACCESS_TOKEN_TTL). */
  ttl?: number;
  /** Epoch seconds the token may never outlive (the refresh session's end). */
  notAfter?: number;
  /** The thumbprint of the DPoP key the token is bound to (cnf.jkt); unbound when absent. */
  jkt?: string | null;
  /** How and when the session signed in (amr, auth_time). */
  amr: readonly string[];
  authTime: number;
  now?: Date;
}

/** Signs a new access token; its exp is now + ttl, capped at notAfter. */
export async function signAccessToken(input: AccessTokenInput): Promise<{ token: string; claims: AccessTokenClaims }> {
  const config = getConfig();
  const { signing } = await getAccessKeys();
  const iat = epoch(input.now ?? new Date());
  const exp = Math.min(iat + (input.ttl ?? config.ACCESS_TOKEN_TTL), input.notAfter ?? Number.POSITIVE_INFINITY);
  const claims: AccessTokenClaims = {
    iss: config.AUTH_ISSUER,
    sub: input.userId,
    aud: [config.AUTH_CLIENT_ID, config.AUTH_SERVER_ID],
    client_id: config.AUTH_CLIENT_ID,
    exp,
    nbf: iat,
    iat,
    jti: crypto.randomUUID(),
    sid: input.sessionId,
    amr: [...input.amr],
    auth_time: input.authTime,
    ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: signing.alg, typ: ACCESS_TOKEN_TYP, kid: signing.kid })
    .sign(signing.key);
  return { token, claims };
}

/**
 * Signs a refresh token. Deterministic for the same input (HS256 over the same bytes), which is what lets a refresh
 * retried inside the grace window receive the very same successor without the token ever being stored.
 */
export async function signRefreshToken(claims: Omit<RefreshTokenClaims, 'iss' | 'aud'>): Promise<string> {
  const config = getConfig();
  const payload: RefreshTokenClaims = {
    iss: config.AUTH_ISSUER,
    sub: claims.sub,
    aud: config.AUTH_SERVER_ID,
    sid: claims.sid,
    jti: claims.jti,
    iat: claims.iat,
    exp: claims.exp,
  };
  return new SignJWT({ ...payload })
    .setProtectedHeader({ alg: 'HS256', typ: REFRESH_TOKEN_TYP })
    .sign(await getRefreshKey());
}

function refuseForeignKeyHeaders(header: JWTHeaderParameters): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header) throw new joseErrors.JOSENotSupported(`"${name}" header parameter is not accepted`);
  }
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Tokens already verified, by their exact text, with their claims: a client sends the same token until it expires, and
 * the signature check is most of what a guarded API call costs. Bounded; an entry is used only while its token is still
 * within exp (plus leeway), and every claim check but the time was done when it was stored.
 */
const verifiedAccessTokens = new BoundedMap<string, AccessTokenClaims>(10_000);

/**
 * Verifies an access token: signature with a known kid, pinned alg, typ at+jwt, iss, exp/nbf (5 s leeway), BOTH
 * audiences and client_id. Throws AuthError `token_expired` (only when everything but the time holds) or
 * `invalid_token`.
 */
export async function verifyAccessToken(token: string, now?: Date): Promise<AccessTokenClaims> {
  const config = getConfig();
  if (!token || token.length > MAX_TOKEN_LENGTH) throw new AuthError('invalid_token', 'The access token is malformed.');
  const known = verifiedAccessTokens.get(token);
  if (known) {
    const seconds = epoch(now ?? new Date());
    if (seconds < known.exp + CLOCK_TOLERANCE && seconds >= known.nbf - CLOCK_TOLERANCE) return known;
    verifiedAccessTokens.delete(token);
  }
  const keys = await getAccessKeys();
  const options: JWTVerifyOptions = {
    algorithms: [keys.signing.alg],
    typ: ACCESS_TOKEN_TYP,
    issuer: config.AUTH_ISSUER,
    audience: [config.AUTH_CLIENT_ID, config.AUTH_SERVER_ID],
    clockTolerance: CLOCK_TOLERANCE,
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid', 'client_id', 'amr', 'auth_time'],
    currentDate: now,
  };
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        refuseForeignKeyHeaders(header);
        const key = header.kid === undefined ? undefined : keys.verifying.get(header.kid);
        if (!key) throw new joseErrors.JWKSNoMatchingKey('no key matches the token\'s "kid"');
        return key;
      },
      options,
    );
    const aud = payload.aud;
    // jose accepts a token carrying EITHER audience; ours must carry both.
    if (!Array.isArray(aud) || !aud.includes(config.AUTH_CLIENT_ID) || !aud.includes(config.AUTH_SERVER_ID)) {
      throw new AuthError('invalid_token', 'The access token is not meant for this client and server.');
    }
    if (
      payload.client_id !== config.AUTH_CLIENT_ID ||
      !isString(payload.sub) ||
      !isString(payload.jti) ||
      !isString(payload.sid)
    ) {
      throw new AuthError('invalid_token', 'The access token is missing required claims.');
    }
    const amr = payload.amr;
    if (!Array.isArray(amr) || !amr.every(isString) || !Number.isSafeInteger(payload.auth_time)) {
      throw new AuthError('invalid_token', "The access token's amr or auth_time is malformed.");
    }
    if (payload.cnf !== undefined && !isString((payload.cnf as { jkt?: unknown } | null)?.jkt)) {
      throw new AuthError('invalid_token', "The access token's confirmation (cnf) is malformed.");
    }
    const claims = payload as unknown as AccessTokenClaims;
    verifiedAccessTokens.set(token, claims);
    return claims;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (classify(error) === 'expired') throw new AuthError('token_expired', 'The access token expired.');
    throw new AuthError('invalid_token', 'The access token is invalid.');
  }
}

/**
 * Verifies a refresh token: HS256 with the refresh key, typ rt+jwt, iss, aud = serverId, exp (no leeway).
 * Throws AuthError `invalid_grant` with reason `expired` or `invalid`.
 */
export async function verifyRefreshToken(token: string, now?: Date): Promise<RefreshTokenClaims> {
  const config = getConfig();
  if (!token || token.length > MAX_TOKEN_LENGTH) {
    throw new AuthError('invalid_grant', 'The refresh token is malformed.', { reason: 'invalid' });
  }
  const key = await getRefreshKey();
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        refuseForeignKeyHeaders(header);
        return key;
      },
      {
        algorithms: ['HS256'],
        typ: REFRESH_TOKEN_TYP,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_SERVER_ID,
        // Only this server signs and checks refresh tokens: no clock to disagree with, so no leeway.
        clockTolerance: 0,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
        currentDate: now,
      },
    );
    if (!isString(payload.sub) || !isString(payload.sid) || !isString(payload.jti)) {
      throw new AuthError('invalid_grant', 'The refresh token is missing required claims.', { reason: 'invalid' });
    }
    return payload as unknown as RefreshTokenClaims;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    const expired = classify(error) === 'expired';
    throw new AuthError('invalid_grant', `The refresh token ${expired ? 'expired' : 'is invalid'}.`, {
      reason: expired ? 'expired' : 'invalid',
    });
  }
}

/** Sorts a verification failure into expired or invalid; rethrows anything that is not a token problem. */
function classify(error: unknown): 'expired' | 'invalid' {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JOSEError || error instanceof TypeError || error instanceof SyntaxError)
    return 'invalid';
  throw error;
}
