import { dbscStatus } from './dbsc-status';
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

/** Whether the session is bound to this device's key (DBSC), and when the browser renews its bound cookie next. */
export default function DbscInspector({ view, now, t }: Props) {
  const status = view === 'loading' ? null : dbscStatus(view, now);
  return (
    <div className="refresh-box stack" data-testid="device-inspector">
      <h3>{t.inspector.dbscTitle}</h3>
      <p className="small">{t.inspector.dbscIntro}</p>
      <p data-testid="device-status">
        {status === null && <span className="muted">{t.inspector.dbscAsking}</span>}
        {status?.kind === 'notOffered' && <strong>{t.inspector.dbscNotOffered}</strong>}
        {status?.kind === 'notRegistered' && <strong>{t.inspector.dbscNotRegistered}</strong>}
        {status?.kind === 'bound' && <strong className="tone-ok">{t.inspector.dbscBound}</strong>}
      </p>
      {status?.kind === 'bound' && status.renewsAt !== null && status.renewsIn !== null && (
        <p className="small" data-testid="device-renewal">
          {status.renewsIn > 0
            ? t.inspector.dbscRenewsIn(t.duration(status.renewsIn), clock(status.renewsAt, t))
            : t.inspector.dbscRenewalDue(clock(status.renewsAt, t))}
        </p>
      )}
      {status?.kind === 'bound' && status.expiresAt !== null && (
        <p className="small muted">{t.inspector.boundCookieExpires(clock(status.expiresAt, t))}</p>
      )}
    </div>
  );
}
