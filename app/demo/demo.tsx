'use client';

import { useSyncExternalStore } from 'react';
import { logout } from '@/lib/client/auth-client';
import { onAuthEvent, recentAuthEvents, type DemoEvent } from './recorder';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { useLang } from '@/lib/client/use-lang';
import { useRequireSession } from '@/lib/client/use-require-session';
import { DEMO_API } from './paths';
import DemoControls from './demo-controls';
import InjectionPanel from './injection-panel';
import { DEMO_MESSAGES, type DemoMessages } from './messages';
import SequenceDiagram from './sequence-diagram';
import TokenInspector from './token-inspector';
import { useDbscReport } from './use-dbsc-report';
import RestoringNotice from '../restoring-notice';

/** What the server tells the page about itself (read from its configuration by the server component). */
export interface DemoSettings {
  demoControls: boolean;
  /** The configured access-token lifetime, the most the demo's lifetime control can ask for. */
  maxAccessTtl: number;
  refreshGrace: number;
  /** How old a sign-in may be for a sensitive change (STEP_UP_MAX_AGE). */
  stepUpMaxAge: number;
  clockTolerance: number;
}

const NO_EVENTS: readonly DemoEvent[] = [];
const subscribeEvents = (onChange: () => void) => onAuthEvent(onChange);

const lifetimeOf = (token: string) => {
  const claims = decodeForDisplay(token)?.claims;
  return typeof claims?.exp === 'number' && typeof claims.iat === 'number' ? claims.exp - claims.iat : null;
};

/** What a screen reader hears about an exchange, for the ones worth interrupting for. */
function announcementOf(event: DemoEvent, t: DemoMessages): string | null {
  if (event.kind === 'dbsc') return null;
  const ok = event.status >= 200 && event.status < 300;
  if (event.error === 'token_expired') return t.announce.expired;
  if (event.reason === 'reused') return t.announce.reused;
  if (!ok) return event.kind === 'api' ? null : t.announce.refused;
  if (event.kind === 'login' || event.kind === 'register' || event.kind === 'passkey') return t.announce.signedIn;
  if (event.kind === 'refresh') return t.announce.renewed;
  if (event.kind === 'api' && event.receivedToken) return t.announce.slidingRenewal;
  if (event.kind === 'demo' && event.path === DEMO_API.accessTtl && event.receivedToken) {
    return t.announce.lifetime(lifetimeOf(event.receivedToken) ?? 0);
  }
  return null;
}

/** When the refresh cookie last rotated, as far as this page saw: a successful refresh here, or a peer's hand-over. */
function lastRotationAt(events: readonly DemoEvent[]): number {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index]!;
    if (event.kind === 'peer' || (event.kind === 'refresh' && event.status === 200)) return event.at + event.durationMs;
  }
  return 0;
}

function latestAnnouncement(events: readonly DemoEvent[], t: DemoMessages): { id: number; text: string } | null {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const text = announcementOf(events[index]!, t);
    if (text) return { id: events[index]!.id, text };
  }
  return null;
}

/** The live demo: a sequence diagram of the page's own requests, the current token decoded, and controls to drive it. */
export default function Demo({ settings }: { settings: DemoSettings }) {
  const auth = useRequireSession();
  const events = useSyncExternalStore(subscribeEvents, recentAuthEvents, () => NO_EVENTS);
  // The page's language (the server rendered in it; the switch in the header changes it).
  const { lang } = useLang();
  const t = DEMO_MESSAGES[lang];
  const announcement = latestAnnouncement(events, t);
  const user = auth.status === 'authenticated' || auth.status === 'reconnecting' ? auth.user : null;
  const dbsc = useDbscReport({
    enabled: settings.demoControls,
    // Reuse detection revoked the session: a poll would end it at once, before the page has shown why.
    paused: events.some((event) => event.kind !== 'dbsc' && event.reason === 'reused'),
    accessToken: auth.accessToken,
    expiresAt: auth.expiresAt,
  });

  return (
    <div className="demo stack" lang={lang}>
      <div className="stack tight">
        <h1>{t.title}</h1>
        <p className="muted">{t.intro}</p>
      </div>
      <div className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement && <p key={announcement.id}>{announcement.text}</p>}
      </div>
      {!user ? (
        <RestoringNotice>{t.restoring}</RestoringNotice>
      ) : (
        <>
          <div className="row spread session-bar">
            <span>
              {t.signedInAs} <strong data-testid="username">{user.username}</strong>
            </span>
            <button type="button" className="secondary" onClick={() => logout().catch(() => {})}>
              {t.signOut}
            </button>
          </div>
          {auth.status === 'reconnecting' && (
            <p className="notice warn" role="status">
              {t.reconnecting}
            </p>
          )}
          <DemoControls
            t={t}
            demoControls={settings.demoControls}
            maxAccessTtl={settings.maxAccessTtl}
            refreshGrace={settings.refreshGrace}
            stepUpMaxAge={settings.stepUpMaxAge}
            rotatedAt={lastRotationAt(events)}
            lifetime={auth.accessToken ? lifetimeOf(auth.accessToken) : null}
            accessToken={auth.accessToken}
          />
          {settings.demoControls && <InjectionPanel t={t} />}
          <div className="demo-grid">
            <SequenceDiagram events={events} t={t} />
            <TokenInspector
              accessToken={auth.accessToken}
              refreshExpiresAt={auth.refreshExpiresAt}
              clockTolerance={settings.clockTolerance}
              refreshGrace={settings.refreshGrace}
              dbsc={dbsc}
              t={t}
            />
          </div>
        </>
      )}
    </div>
  );
}
