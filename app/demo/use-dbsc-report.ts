import { useEffect, useEffectEvent, useState } from 'react';
import { authFetch } from '@/lib/client/auth-client';
import type { DeviceView } from './device';
import { DEMO_API } from './paths';
import { recordDbscExchanges } from './recorder';

const POLL_MS = 5000;
/**
 * The poll skips an access token this close to its expiry: the page's own next call should meet the expiry (and
 * renew), not the poll.
 */
const EXPIRY_MARGIN_MS = 2000;

/** The server's latest report, 'loading' until the first one, 'off' when the demo endpoints are. */
export type DbscReport = DeviceView | 'loading' | 'off';

type Options = {
  /** Whether the server offers the demo endpoints (DEMO_CONTROLS). */
  enabled: boolean;
  /** Stops polling and keeps the last report (the session is over, and the page about to leave). */
  paused: boolean;
  accessToken: string | null;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
};

/**
 * Asks the server every 5 s, and at once with each new access token (a refresh, a sign-in, a peer's hand-over), what it
 * knows of this session's DBSC binding (GET /api/demo/device), and records the browser's DBSC requests it reports for
 * the diagram. Polls while `enabled` and not `paused`, until the server answers 404 (demo controls off).
 */
export function useDbscReport({ enabled, paused, accessToken, expiresAt }: Options): DbscReport {
  const [view, setView] = useState<DeviceView | null>(null);
  const [off, setOff] = useState(false);

  const poll = useEffectEvent(async () => {
    if (!accessToken || expiresAt - Date.now() < EXPIRY_MARGIN_MS) return;
    try {
      const response = await authFetch(DEMO_API.device);
      if (response.status === 404) return setOff(true);
      if (!response.ok) return;
      const report = (await response.json()) as DeviceView;
      recordDbscExchanges(report.exchanges);
      setView(report);
    } catch {
      // The session ended (the page leaves for the login page) or the network failed (the next poll tries again).
    }
  });

  useEffect(() => {
    if (!enabled || paused || off || !accessToken) return;
    const first = setTimeout(() => void poll(), 0);
    const id = setInterval(() => void poll(), POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(id);
    };
  }, [enabled, paused, off, accessToken]);

  if (!enabled || off) return 'off';
  return view ?? 'loading';
}
