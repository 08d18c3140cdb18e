import 'server-only';
import type { Generated, Selectable } from 'kysely';

/** Table types shared by the SQLite and Postgres dialects. Times are epoch milliseconds (bigint columns). */

export interface UsersTable {
  id: string;
  username: string;
  /** argon2id hash; null for an account made with a passkey only (it signs in with its passkeys). */
  password_hash: string | null;
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
  /** The store's clock (epoch ms) when the session was revoked: what instances poll for (lib/auth/revocations.ts). */
  revoked_store_at: number | null;
  revoke_reason: string | null;
  user_agent: string | null;
  /** RFC 7638 thumbprint of the browser key the session is bound to (DPoP); null when it is not bound. */
  dpop_jkt: string | null;
  /** The browser's DBSC public key (a JWK, as JSON) once it registered a DBSC session; null until then. */
  dbsc_jwk: string | null;
  /** When the browser last proved its DBSC key (registration or refresh), epoch milliseconds. */
  dbsc_proved_at: number | null;
  /** The lifetime of this session's access tokens in seconds, when shorter than ACCESS_TOKEN_TTL; null: the configured. */
  access_ttl: number | null;
  /** Refreshes in the current window (lib/auth/refresh-limit.ts), and when that window started, epoch milliseconds. */
  refresh_count: Generated<number>;
  refresh_window_start: Generated<number>;
  /** How the session signed in: RFC 8176 `amr` values, space-separated (`pwd`; `hwk user` or `swk user` for a passkey). */
  amr: string;
  /** When the session signed in (the access token's `auth_time`), epoch seconds. A refresh keeps both. */
  auth_time: number;
}

/**
 * Proofs accepted once (lib/auth/used-proofs.ts), until they could no longer pass their time check: the jti of every
 * DPoP proof a token endpoint accepted, and every DBSC challenge a proof answered (in `jti`).
 */
export interface UsedProofsTable {
  /** The thumbprint of the key that signed the proof. */
  jkt: string;
  jti: string;
  expires_at: number;
}

/** WebAuthn credentials (passkeys), each belonging to exactly one user (lib/auth/passkeys.ts). */
export interface PasskeysTable {
  /** The credential id, base64url, as the authenticator made it. */
  id: string;
  user_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** The signature counter last seen (0 for authenticators that do not count). */
  counter: number;
  /** The transports the browser reported at registration, as a JSON array; null when it reported none. */
  transports: string | null;
  /** `singleDevice` (bound to one authenticator) or `multiDevice` (backup eligible: synced). */
  device_type: string;
  /** The backup state last reported (1: backed up). */
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
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
  used_proofs: UsedProofsTable;
  passkeys: PasskeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
