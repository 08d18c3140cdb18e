import { calculateJwkThumbprint, type JWK } from 'jose';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AuthEvent, DemoEvent } from './recorder';
import { tabId } from '@/lib/client/cross-tab';
import type { DemoMessages } from './messages';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { arrowsFor, serverCheck, type Arrow, type BrowserArrow } from './arrows';
import { DEMO_API } from './paths';
import { clockParts, localClock } from './format';
import { proofView, type ProofView } from './proof-view';
import { useFingerprint } from './use-fingerprint';

type Props = { events: readonly DemoEvent[]; t: DemoMessages };

/**
 * Whether the request carried the refresh cookie for a reason (refresh and sign-out read it; the replay and
 * other-device controls stand in for it).
 */
const usesRefreshCookie = (event: AuthEvent) =>
  event.kind === 'refresh' ||
  event.kind === 'logout' ||
  (event.kind === 'demo' && (event.path === DEMO_API.replay || event.path === DEMO_API.otherDevice));

/**
 * The live sequence diagram: two lanes, one arrow per request and answer, newest at the bottom, each expandable; and
 * the browser's own DBSC requests as the server reported them.
 */
export default function SequenceDiagram({ events, t }: Props) {
  // Cleared: the events recorded so far, and DBSC requests made before the clear but reported after it.
  const [cleared, setCleared] = useState({ id: 0, at: 0 });
  const [open, setOpen] = useState<string | null>(null);
  const arrows = useMemo(
    () =>
      arrowsFor(events.filter((event) => event.id > cleared.id && (event.kind !== 'dbsc' || event.at > cleared.at))),
    [events, cleared],
  );
  const listRef = useRef<HTMLOListElement>(null);
  const headingId = useId();

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [arrows.length]);

  function clear() {
    setCleared({ id: events.at(-1)?.id ?? 0, at: Date.now() });
    setOpen(null);
  }

  return (
    <section className="panel stack seq" aria-labelledby={headingId} data-testid="sequence-diagram">
      <div className="row spread">
        <h2 id={headingId}>{t.diagram.title}</h2>
        <button type="button" className="secondary small" onClick={clear} disabled={arrows.length === 0}>
          {t.diagram.clear}
        </button>
      </div>
      <p className="muted small">{t.diagram.hint}</p>
      <div className="seq-frame">
        <div className="seq-lanes" aria-hidden="true">
          <span>{t.diagram.client}</span>
          <span>{t.diagram.server}</span>
        </div>
        {arrows.length === 0 ? (
          <p className="seq-empty muted">{t.diagram.empty}</p>
        ) : (
          <ol className="seq-list" ref={listRef}>
            {arrows.map((arrow) => (
              <ArrowRow
                key={arrow.key}
                arrow={arrow}
                t={t}
                open={open === arrow.key}
                onToggle={() => setOpen(open === arrow.key ? null : arrow.key)}
              />
            ))}
          </ol>
        )}
      </div>
      <p className="muted small">{t.diagram.fingerprintNote}</p>
      <p className="muted small">{t.diagram.proofNote}</p>
      {arrows.some((arrow) => arrow.direction === 'byBrowser') && <p className="muted small">{t.diagram.dbscNote}</p>}
    </section>
  );
}

function Stamp({ at }: { at: number }) {
  const { time, ms } = clockParts(at);
  return (
    <time className="seq-time" dateTime={new Date(at).toISOString()}>
      {time}
      <span className="seq-ms">{ms}</span>
    </time>
  );
}

/** A DBSC request the browser made by itself: drawn from the server's report, not expandable (the page saw nothing). */
function BrowserRow({ arrow, t }: { arrow: BrowserArrow; t: DemoMessages }) {
  return (
    <li className={`seq-row to-server by-browser tone-${arrow.tone}`} data-arrow={arrow.label}>
      <div className="seq-static">
        <Stamp at={arrow.at} />
        <span className="seq-track">
          <span className="seq-caption">
            {/* DBSC registers and renews with POST. */}
            <span className="seq-chip">POST</span>
            <span className="seq-label">{t.arrow[arrow.label]}</span>
            <span className="badge" data-testid="reported-by-server">
              {t.diagram.reportedByServer}
            </span>
          </span>
          <span className="seq-line" aria-hidden="true" />
          <span className="seq-sub">
            <code>{arrow.event.path}</code>
            {` · ${t.diagram.notSeenByPage}`}
          </span>
        </span>
        <span className="sr-only">{`${t.diagram.browser} → ${t.diagram.server}`}</span>
      </div>
    </li>
  );
}

function ArrowRow({
  arrow,
  t,
  open,
  onToggle,
}: {
  arrow: Arrow;
  t: DemoMessages;
  open: boolean;
  onToggle: () => void;
}) {
  if (arrow.direction === 'byBrowser') return <BrowserRow arrow={arrow} t={t} />;
  const { event } = arrow;
  if (arrow.direction === 'onServer') {
    return (
      <li className="seq-row on-server" data-arrow={arrow.label} data-verdict={arrow.verdict}>
        <Stamp at={arrow.at} />
        <span className="seq-note">
          {t.arrow[arrow.label]} → <Verdict verdict={arrow.verdict} t={t} />
        </span>
      </li>
    );
  }
  const toServer = arrow.direction === 'toServer';
  const detailsId = `seq-details-${arrow.key}`;
  return (
    <li
      className={`seq-row ${toServer ? 'to-server' : 'to-client'} tone-${arrow.tone}`}
      data-arrow={arrow.label}
      data-status={toServer ? undefined : event.status}
    >
      <button
        type="button"
        className="seq-button"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        onClick={onToggle}
      >
        <Stamp at={arrow.at} />
        <span className="seq-track">
          <span className="seq-caption">
            {toServer ? (
              <span className="seq-chip">{event.method}</span>
            ) : (
              <span className="seq-chip status">{event.status || '—'}</span>
            )}
            <span className="seq-label">{t.arrow[arrow.label]}</span>
            {toServer && event.retry && arrow.label !== 'retryCall' && (
              <span className="badge warn">{t.diagram.retry}</span>
            )}
            {event.tab !== tabId && (
              <span className="badge" data-testid="other-tab">{`${t.diagram.tab} ${event.tab}`}</span>
            )}
          </span>
          <span className="seq-line" aria-hidden="true" />
          <span className="seq-sub">
            {toServer ? <RequestSub event={event} t={t} /> : <AnswerSub event={event} t={t} />}
          </span>
        </span>
        <span className="sr-only">
          {toServer ? `${t.diagram.client} → ${t.diagram.server}` : `${t.diagram.server} → ${t.diagram.client}`}
        </span>
      </button>
      {open && <ArrowDetails id={detailsId} event={event} t={t} />}
    </li>
  );
}

function Print({ token }: { token: string | undefined }) {
  const print = useFingerprint(token);
  return <code className="print">{print ?? '········'}</code>;
}

function Verdict({ verdict = 'ok', t }: { verdict: string | undefined; t: DemoMessages }) {
  return (
    <strong className={verdict === 'ok' ? 'tone-ok' : 'tone-bad'}>
      {verdict === 'ok' ? t.diagram.checkOk : t.diagram.checkRefused(verdict)}
    </strong>
  );
}

/** A proof in one line: the start of its jti, the method and path it names, and its ath as a token fingerprint. */
function ProofLine({ proof }: { proof: ProofView }) {
  return (
    <span className="seq-proof" data-testid="proof">
      {'proof '}
      <code>{proof.jti.slice(0, 8)}</code>
      {' · '}
      <code>
        {proof.htm} {proof.path}
      </code>
      {proof.athPrint && (
        <>
          {' · ath '}
          <code className="print">{proof.athPrint}</code>
        </>
      )}
    </span>
  );
}

function RequestSub({ event, t }: { event: AuthEvent; t: DemoMessages }) {
  const proof = proofView(event.proof);
  return (
    <>
      <code>{event.path}</code>
      {event.sentToken && (
        <>
          {` · ${proof ? 'DPoP' : 'Bearer'} `}
          <Print token={event.sentToken} />
        </>
      )}
      {usesRefreshCookie(event) && ` · ${t.diagram.refreshCookie}`}
      {proof && <ProofLine proof={proof} />}
    </>
  );
}

/** The RFC 7638 thumbprint of a proof's public key, computed here. */
function KeyThumbprint({ jwk }: { jwk: Record<string, unknown> }) {
  const [thumbprint, setThumbprint] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    calculateJwkThumbprint(jwk as JWK, 'sha256').then(
      (computed) => live && setThumbprint(computed),
      () => live && setThumbprint('—'),
    );
    return () => {
      live = false;
    };
  }, [jwk]);
  return <code>{thumbprint ?? '········'}</code>;
}

function ProofDetails({ proof, t }: { proof: ProofView; t: DemoMessages }) {
  return (
    <>
      <dt>{t.diagram.proof}</dt>
      <dd>
        <code>jti {proof.jti}</code>
        {' · '}
        <code>
          {proof.htm} {proof.htu}
        </code>
        {proof.iat !== null && ` · iat ${proof.iat}`}
        {proof.ath && (
          <>
            {' · '}
            <code>ath {proof.ath}</code>
          </>
        )}
        {proof.nonce && (
          <>
            {' · '}
            <code>nonce {proof.nonce}</code>
          </>
        )}
      </dd>
      {proof.jwk && (
        <>
          <dt>{t.diagram.proofKey}</dt>
          <dd>
            <KeyThumbprint jwk={proof.jwk} />
          </dd>
        </>
      )}
    </>
  );
}

function AnswerSub({ event, t }: { event: AuthEvent; t: DemoMessages }) {
  if (event.receivedToken) {
    const claims = decodeForDisplay(event.receivedToken)?.claims;
    return (
      <>
        {typeof claims?.exp === 'number' && `exp ${localClock(claims.exp, t.locale)}`}
        {Array.isArray(claims?.aud) && ` · aud [${claims.aud.join(', ')}]`}
        {' · '}
        <Print token={event.receivedToken} />
      </>
    );
  }
  if (event.error) return <code>{event.reason ? `${event.error} · ${event.reason}` : event.error}</code>;
  return null;
}

function ArrowDetails({ id, event, t }: { id: string; event: AuthEvent; t: DemoMessages }) {
  const cookie = usesRefreshCookie(event)
    ? event.kind !== 'demo'
      ? t.diagram.cookieSent
      : event.path === DEMO_API.otherDevice
        ? t.diagram.cookieOtherDevice
        : t.diagram.cookieReplayed
    : event.kind === 'login' || event.kind === 'register'
      ? t.diagram.cookieSetByAnswer
      : t.diagram.cookieIgnored;
  const received = event.receivedToken ? decodeForDisplay(event.receivedToken)?.claims : undefined;
  const proof = proofView(event.proof);
  const check = serverCheck(event);
  const ref = useRef<HTMLDListElement>(null);
  useEffect(() => ref.current?.scrollIntoView({ block: 'nearest' }), []);
  return (
    <dl className="seq-details" id={id} ref={ref}>
      <dt>{t.diagram.request}</dt>
      <dd>
        <code>
          {event.method} {event.path}
        </code>
      </dd>
      <dt>{t.diagram.status}</dt>
      <dd>{event.status || t.diagram.none}</dd>
      <dt>{t.diagram.took}</dt>
      <dd>{event.durationMs} ms</dd>
      <dt>{t.diagram.sentAccess}</dt>
      <dd>{event.sentToken ? <Print token={event.sentToken} /> : t.diagram.none}</dd>
      {proof && <ProofDetails proof={proof} t={t} />}
      <dt>{t.diagram.sentRefresh}</dt>
      <dd>{cookie}</dd>
      {check && (
        <>
          <dt>{t.diagram.serverCheck}</dt>
          <dd>
            {t.arrow[check.label]} → <Verdict verdict={check.verdict} t={t} />
          </dd>
        </>
      )}
      <dt>{t.diagram.received}</dt>
      <dd>
        {event.receivedToken ? (
          <>
            <Print token={event.receivedToken} />
            {typeof received?.exp === 'number' && ` · exp ${received.exp} (${localClock(received.exp, t.locale)})`}
          </>
        ) : (
          t.diagram.none
        )}
      </dd>
      {event.error && (
        <>
          <dt>{t.diagram.error}</dt>
          <dd>
            <code>{event.reason ? `${event.error} (${event.reason})` : event.error}</code>
          </dd>
        </>
      )}
      {event.tab && (
        <>
          <dt>{t.diagram.tab}</dt>
          <dd>{event.tab}</dd>
        </>
      )}
    </dl>
  );
}
