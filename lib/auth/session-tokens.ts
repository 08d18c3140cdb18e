import 'server-only';
import { getConfig } from '@/lib/config';
import type { SessionRow } from '@/lib/db/schema';
import type { PublicUser } from '@/lib/protocol';
import { signAccessToken, signRefreshToken, type AccessTokenClaims } from './tokens';

/** The tokens a session is issued: its access tokens (lifetime, binding) and its current refresh token, re-signed. */

export interface IssuedAccessToken {
  user: PublicUser;
  sessionId: string;
  accessToken: string;
  accessClaims: AccessTokenClaims;
  /** Epoch seconds at which the refresh token (and so the cookie) ends. */
  refreshExpiresAt: number;
  /** Epoch seconds at which the session reaches its maximum age, however busy. */
  sessionExpiresAt: number;
}

export interface IssuedTokens extends IssuedAccessToken {
  refreshToken: string;
  /** The browser registered a DBSC key for the session: its refresh cookie says so, for the middleware. */
  dbscBound: boolean;
}

type TokenSession = Pick<SessionRow, 'id' | 'user_id' | 'current_exp' | 'dpop_jkt' | 'access_ttl'>;

/**
 * An access token for a session: `ttl` seconds long when given (a sliding renewal keeps the presented token's), else
 * the session's own lifetime (lib/auth/access-lifetime.ts), else ACCESS_TOKEN_TTL — never longer than ACCESS_TOKEN_TTL,
 * never outliving the session's refresh token, bound to the session's DPoP key when it has one.
 */
export function accessTokenFor(
  session: TokenSession,
  ttl?: number,
  now = new Date(),
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const configured = getConfig().ACCESS_TOKEN_TTL;
  return signAccessToken({
    userId: session.user_id,
    sessionId: session.id,
    ttl: Math.min(ttl ?? session.access_ttl ?? configured, configured),
    notAfter: session.current_exp,
    jkt: session.dpop_jkt,
    now,
  });
}

/** The access token and session times a sign-in, a refresh or a lifetime change answers with. */
export async function issueAccessToken(
  user: PublicUser,
  session: TokenSession & Pick<SessionRow, 'absolute_expires_at'>,
  now = new Date(),
): Promise<IssuedAccessToken> {
  const access = await accessTokenFor(session, undefined, now);
  return {
    user,
    sessionId: session.id,
    accessToken: access.token,
    accessClaims: access.claims,
    refreshExpiresAt: session.current_exp,
    sessionExpiresAt: Math.floor(session.absolute_expires_at / 1000),
  };
}

/** A new access token and the session's current refresh token, re-signed from the stored claims (none is kept at rest). */
export async function issueTokens(user: PublicUser, session: SessionRow, now = new Date()): Promise<IssuedTokens> {
  const refreshToken = await signRefreshToken({
    sub: session.user_id,
    sid: session.id,
    jti: session.current_jti,
    iat: session.current_iat,
    exp: session.current_exp,
  });
  return { ...(await issueAccessToken(user, session, now)), refreshToken, dbscBound: session.dbsc_jwk !== null };
}
