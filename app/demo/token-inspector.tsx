import { useId } from 'react';
import type { ClaimName, HeaderName, DemoMessages } from './messages';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { useNow } from '@/lib/client/use-now';
import { localClock, localTime } from './format';
import DbscInspector from './dbsc-inspector';
import KeyInspector from './key-inspector';
import type { DbscReport } from './use-dbsc-report';

type Props = {
  accessToken: string | null;
  /** Epoch milliseconds the refresh session ends unless renewed, as the server reported it. */
  refreshExpiresAt: number;
  clockTolerance: number;
  refreshGrace: number;
  /** What the server reports of the session's DBSC binding ('off': the demo endpoints are, and the panel is left out). */
  dbsc: DbscReport;
  t: DemoMessages;
};

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat']);

const isClaimName = (name: string, t: DemoMessages): name is ClaimName => Object.hasOwn(t.inspector.claimMeaning, name);
const isHeaderName = (name: string, t: DemoMessages): name is HeaderName =>
  Object.hasOwn(t.inspector.headerMeaning, name);

/**
 * The current access token decoded (header, claims, what each means, live countdowns), the keys it and the session are
 * bound to, and what the page sees of the refresh token.
 */
export default function TokenInspector({
  accessToken,
  refreshExpiresAt,
  clockTolerance,
  refreshGrace,
  dbsc,
  t,
}: Props) {
  const now = useNow(500);
  const headingId = useId();
  const decoded = accessToken ? decodeForDisplay(accessToken) : null;
  const claims = decoded?.claims ?? {};
  const exp = typeof claims.exp === 'number' ? claims.exp : null;
  const iat = typeof claims.iat === 'number' ? claims.iat : null;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : null;
  const nowSeconds = now / 1000;
  const cnf = claims.cnf as { jkt?: unknown } | undefined;
  const jkt = typeof cnf?.jkt === 'string' ? cnf.jkt : null;

  return (
    <section className="panel stack" aria-labelledby={headingId} data-testid="token-inspector">
      <h2 id={headingId}>{t.inspector.title}</h2>
      {!decoded ? (
        <p className="muted">{t.inspector.noToken}</p>
      ) : (
        <>
          {exp !== null && iat !== null && (
            <Countdown
              label={t.inspector.expiryBar}
              left={exp - nowSeconds}
              total={exp - iat}
              text={
                exp > nowSeconds
                  ? t.inspector.expiresIn(Math.ceil(exp - nowSeconds))
                  : t.inspector.expiredAgo(Math.floor(nowSeconds - exp))
              }
              aside={t.inspector.lifetime(exp - iat)}
              testId="expiry"
            />
          )}
          {nbf !== null && iat !== null && nbf > nowSeconds ? (
            <Countdown
              label={t.inspector.notBeforeBar}
              left={nbf - nowSeconds}
              total={Math.max(1, nbf - iat)}
              text={t.inspector.notBeforeIn(Math.ceil(nbf - nowSeconds))}
            />
          ) : (
            nbf !== null && <p className="muted small">nbf: {t.inspector.validSince(localClock(nbf, t.locale))}</p>
          )}
          <p className="muted small">{t.inspector.leeway(clockTolerance)}</p>
          <div className="json-pair">
            <figure>
              <figcaption>{t.inspector.header}</figcaption>
              <pre data-testid="token-header">{JSON.stringify(decoded.header, null, 2)}</pre>
            </figure>
            <figure>
              <figcaption>{t.inspector.claims}</figcaption>
              <pre data-testid="token-claims">{JSON.stringify(decoded.claims, null, 2)}</pre>
            </figure>
          </div>
          <figure className="encoded stack tight">
            <figcaption className="small muted">{t.inspector.encoded}</figcaption>
            <pre data-testid="token-encoded">{accessToken}</pre>
            <p className="small muted">{t.inspector.encodedNote}</p>
          </figure>
          <h3>{t.inspector.meanings}</h3>
          <dl className="claim-list">
            {Object.entries(decoded.header).map(([name, value]) => (
              <Field
                key={`h-${name}`}
                name={name}
                value={value}
                meaning={isHeaderName(name, t) ? t.inspector.headerMeaning[name] : null}
                t={t}
              />
            ))}
            {Object.entries(decoded.claims).map(([name, value]) => (
              <Field
                key={`c-${name}`}
                name={name}
                value={value}
                meaning={isClaimName(name, t) ? t.inspector.claimMeaning[name] : null}
                t={t}
                claim
              />
            ))}
          </dl>
          <KeyInspector jkt={jkt} t={t} />
        </>
      )}
      {dbsc !== 'off' && <DbscInspector view={dbsc} now={now} t={t} />}
      <RefreshToken refreshExpiresAt={refreshExpiresAt} now={now} refreshGrace={refreshGrace} t={t} />
    </section>
  );
}

function Field({
  name,
  value,
  meaning,
  t,
  claim,
}: {
  name: string;
  value: unknown;
  meaning: string | null;
  t: DemoMessages;
  claim?: boolean;
}) {
  const time = claim && TIME_CLAIMS.has(name) && typeof value === 'number' ? localTime(value, t.locale) : null;
  return (
    <div className="claim">
      <dt>
        <code>{name}</code>
      </dt>
      <dd>
        <code className="claim-value" data-testid={claim ? `claim-${name}` : `header-${name}`}>
          {typeof value === 'string' ? value : JSON.stringify(value)}
        </code>
        {time && <span className="claim-time"> = {time}</span>}
        {meaning && <span className="claim-meaning">{meaning}</span>}
      </dd>
    </div>
  );
}

function Countdown(props: {
  label: string;
  left: number;
  total: number;
  text: string;
  aside?: string;
  testId?: string;
}) {
  const fraction = Math.min(1, Math.max(0, props.left / props.total));
  const tone = fraction === 0 ? 'empty' : fraction < 0.3 ? 'low' : '';
  return (
    <div className="countdown">
      <div className="row spread small">
        <span>{props.label}</span>
        <span>
          <strong data-testid={props.testId && `${props.testId}-text`}>{props.text}</strong>
          {props.aside && <span className="muted"> · {props.aside}</span>}
        </span>
      </div>
      <div
        className={`meter ${tone}`}
        role="meter"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={Math.round(props.total)}
        aria-valuenow={Math.max(0, Math.round(props.left))}
        aria-valuetext={props.text}
      >
        <span style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}

function RefreshToken({
  refreshExpiresAt,
  now,
  refreshGrace,
  t,
}: {
  refreshExpiresAt: number;
  now: number;
  refreshGrace: number;
  t: DemoMessages;
}) {
  const left = Math.max(0, Math.round((refreshExpiresAt - now) / 1000));
  return (
    <div className="refresh-box stack">
      <h3>{t.inspector.refreshTitle}</h3>
      <p>
        {t.inspector.refreshSeen}: <strong data-testid="refresh-visible">{t.inspector.refreshNothing}</strong>
      </p>
      <p className="small">{t.inspector.refreshInvisible}</p>
      <p className="small">
        {t.inspector.documentCookie}: <code data-testid="document-cookie">{JSON.stringify(document.cookie)}</code>
      </p>
      {refreshExpiresAt > 0 && (
        <p className="small" data-testid="refresh-lifetime">
          {t.inspector.refreshLifetime(localTime(refreshExpiresAt / 1000, t.locale), t.duration(left))}
        </p>
      )}
      <p className="small muted">{t.inspector.refreshRotates(refreshGrace)}</p>
    </div>
  );
}
