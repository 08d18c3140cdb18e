import type { Generated, Selectable } from 'kysely';

/** Table types shared by the SQLite and Postgres dialects. Times are epoch milliseconds (bigint columns). */

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** jti of the one refresh token of this session that is valid now. */
  current_jti: string;
  /** iat (epoch seconds) of the current refresh token: with exp it lets the token be re-signed identically. */
  current_iat: number;
  /** exp (epoch seconds) of the current refresh token. */
  current_exp: number;
  /** jti of the immediate predecessor, still honoured for the grace window after rotated_at. */
  previous_jti: string | null;
  rotated_at: number | null;
  /** Rotations so far. */
  generation: Generated<number>;
  created_at: number;
  last_used_at: number;
  /** The session's hard end: created_at + SESSION_MAX_AGE. */
  absolute_expires_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
  user_agent: string | null;
  /** RFC 7638 thumbprint of the browser key the session is bound to (DPoP); null when it is not bound. */
  dpop_jkt: string | null;
  /** The device's public key (a JWK, as JSON) once the browser registered a DBSC session; null until then. */
  dbsc_jwk: string | null;
  /** When the browser last proved the device key (registration or refresh), epoch milliseconds. */
  dbsc_proved_at: number | null;
}

/** The jti of every DPoP proof a token endpoint accepted, until its iat leaves the acceptance window. */
export interface DpopProofsTable {
  jkt: string;
  jti: string;
  expires_at: number;
}

export interface SecurityEventsTable {
  id: string;
  user_id: string | null;
  session_id: string | null;
  kind: string;
  detail: string | null;
  created_at: number;
}

export interface ThrottleTable {
  key: string;
  failures: number;
  blocked_until: number;
  updated_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  security_events: SecurityEventsTable;
  throttle: ThrottleTable;
  dpop_proofs: DpopProofsTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
