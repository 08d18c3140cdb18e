import 'server-only';
import { DBSC_PATHS } from '@/lib/auth/dbsc';
import type { SecurityEventKind } from '@/lib/auth/security-events';
import { loadSession } from '@/lib/auth/sessions';
import { DBSC_PROACTIVE_REFRESH_SECONDS } from '@/lib/auth/bound-cookie';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db';

/**
 * What the live demo shows of DBSC for the caller's own session. The browser registers and renews its device key by
 * itself, in requests the page cannot observe; the server records each (lib/auth/security-events.ts), and this reports
 * them.
 */

/** One of the browser's own DBSC requests, as the server recorded it. */
export interface DeviceExchange {
  kind: 'registered' | 'refreshed' | 'ended' | 'refused';
  path: string;
  at: number;
}

export interface DeviceView {
  /** Whether the server offers DBSC at all. */
  offered: boolean;
  /** Whether this session's browser registered a device key. */
  deviceBound: boolean;
  /** When the browser last proved its device key (epoch ms), and when that bound cookie expires and renews next. */
  provedAt: number | null;
  boundCookieExpiresAt: number | null;
  renewsAt: number | null;
  exchanges: DeviceExchange[];
}

const KINDS = {
  dbsc_registered: ['registered', DBSC_PATHS.register],
  dbsc_refreshed: ['refreshed', DBSC_PATHS.refresh],
  dbsc_ended: ['ended', DBSC_PATHS.refresh],
  dbsc_proof_refused: ['refused', DBSC_PATHS.refresh],
} as const satisfies Partial<Record<SecurityEventKind, readonly [DeviceExchange['kind'], string]>>;

/** The caller's session as DBSC sees it, with its last 20 DBSC exchanges. */
export async function deviceView(sessionId: string): Promise<DeviceView> {
  const { DBSC: dbsc, DBSC_COOKIE_TTL: dbscCookieTtl } = getConfig();
  const session = await loadSession(sessionId);
  const db = await getDb();
  const rows = await db
    .selectFrom('security_events')
    .select(['kind', 'created_at'])
    .where('session_id', '=', sessionId)
    .where('kind', 'in', Object.keys(KINDS) as (keyof typeof KINDS)[])
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const provedAt = session?.dbsc_proved_at ?? null;
  const expiresAt = provedAt === null ? null : provedAt + dbscCookieTtl * 1000;
  return {
    offered: dbsc,
    deviceBound: Boolean(session?.dbsc_jwk),
    provedAt,
    boundCookieExpiresAt: expiresAt,
    renewsAt: expiresAt === null ? null : Math.max(provedAt!, expiresAt - DBSC_PROACTIVE_REFRESH_SECONDS * 1000),
    exchanges: rows.reverse().map((row) => {
      const [kind, path] = KINDS[row.kind as keyof typeof KINDS];
      return { kind, path, at: Number(row.created_at) };
    }),
  };
}
