'use client';

import { deviceStatus } from './device-status';
import { localClock } from './format';
import type { DemoMessages } from './messages';
import type { DeviceView } from './device';

type Props = {
  /** The server's latest report, or 'loading' before the first one. */
  view: DeviceView | 'loading';
  now: number;
  t: DemoMessages;
};

const clock = (epochMs: number, t: DemoMessages) => localClock(epochMs / 1000, t.locale);

/** Whether the session is bound to this device (DBSC), and when the browser renews its bound cookie next. */
export default function DeviceInspector({ view, now, t }: Props) {
  const status = view === 'loading' ? null : deviceStatus(view, now);
  return (
    <div className="refresh-box stack" data-testid="device-inspector">
      <h3>{t.inspector.deviceTitle}</h3>
      <p className="small">{t.inspector.deviceIntro}</p>
      <p data-testid="device-status">
        {status === null && <span className="muted">{t.inspector.deviceAsking}</span>}
        {status?.kind === 'notOffered' && <strong>{t.inspector.deviceNotOffered}</strong>}
        {status?.kind === 'notRegistered' && <strong>{t.inspector.deviceNotRegistered}</strong>}
        {status?.kind === 'bound' && <strong className="tone-ok">{t.inspector.deviceBound}</strong>}
      </p>
      {status?.kind === 'bound' && status.renewsAt !== null && status.renewsIn !== null && (
        <p className="small" data-testid="device-renewal">
          {status.renewsIn > 0
            ? t.inspector.deviceRenewsIn(t.duration(status.renewsIn), clock(status.renewsAt, t))
            : t.inspector.deviceRenewalDue(clock(status.renewsAt, t))}
        </p>
      )}
      {status?.kind === 'bound' && status.expiresAt !== null && (
        <p className="small muted">{t.inspector.boundCookieExpires(clock(status.expiresAt, t))}</p>
      )}
    </div>
  );
}
