'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ReceivedViolation } from '@/lib/http/csp-report';
import { receivedViolations } from './demo-api';
import type { DemoMessages } from './messages';

/** The global the injected script would set, were it allowed to run. */
const FLAG = '__demoInjectedScriptRan';
const POLL_MS = 1000;
/** Chromium delivers Reporting API reports in batches, within about a minute. */
const GIVE_UP_MS = 90_000;

type Seen = { directive: string; blocked: string };
type Attempt = {
  ran: boolean;
  /** The browser's securitypolicyviolation event; null if none came. */
  seen: Seen | null;
  /** The server's copy of the report, once it arrived; 'waiting' until then, 'none' after giving up. */
  report: ReceivedViolation | 'waiting' | 'none';
};

const latestId = (violations: readonly ReceivedViolation[] | null) => violations?.at(-1)?.id ?? 0;

/**
 * Inserts an inline script into this page, as an attacker's code would, and resolves with the violation the browser
 * saw. The script's text goes in as a text node: assigning it (`textContent`) would throw at once under Trusted Types.
 */
function injectInlineScript(): Promise<Seen | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), 2000);
    function done(seen: Seen | null) {
      clearTimeout(timer);
      document.removeEventListener('securitypolicyviolation', onViolation);
      resolve(seen);
    }
    function onViolation(event: SecurityPolicyViolationEvent) {
      done({ directive: event.effectiveDirective, blocked: event.blockedURI });
    }
    document.addEventListener('securitypolicyviolation', onViolation);
    const script = document.createElement('script');
    script.append(document.createTextNode(`window.${FLAG} = true;`));
    document.body.append(script);
    script.remove();
  });
}

/**
 * The demo's injection: an inline script added to this page does not run (its text did not pass the Trusted Types
 * policy, and it has no nonce), the browser reports the violation, and the server's copy of that report is shown once
 * it arrives.
 */
export default function InjectionPanel({ t }: { t: DemoMessages }) {
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  async function inject() {
    setBusy(true);
    try {
      const before = latestId(await receivedViolations().catch(() => null));
      const seen = await injectInlineScript();
      const ran = (window as unknown as Record<string, unknown>)[FLAG] === true;
      setAttempt({ ran, seen, report: 'waiting' });
      const path = window.location.pathname;
      for (const giveUpAt = Date.now() + GIVE_UP_MS; Date.now() < giveUpAt && mounted.current;) {
        const violations = await receivedViolations().catch(() => null);
        const report = violations?.find(
          (entry) => entry.id > before && entry.documentPath === path && entry.directive === seen?.directive,
        );
        if (report) return setAttempt({ ran, seen, report });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (mounted.current) setAttempt({ ran, seen, report: 'none' });
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  const report = attempt?.report;
  return (
    <section className="panel stack" aria-labelledby={headingId} data-testid="injection-panel">
      <h2 id={headingId}>
        {t.csp.title} <span className="badge warn">{t.controls.badge}</span>
      </h2>
      <p className="small">{t.csp.intro}</p>
      <div className="row">
        <button type="button" className="danger" onClick={inject} disabled={busy}>
          {t.csp.inject}
        </button>
      </div>
      {attempt && (
        <dl className="claim-list" role="status" data-testid="injection-result">
          <div className="claim">
            <dt>{t.csp.ranLabel}</dt>
            <dd data-testid="injection-ran">
              <strong className={attempt.ran ? 'tone-bad' : 'tone-ok'}>
                {attempt.ran ? t.csp.ran : t.csp.blocked}
              </strong>
            </dd>
          </div>
          <div className="claim">
            <dt>{t.csp.browserLabel}</dt>
            <dd data-testid="injection-event">
              {attempt.seen ? (
                <code>
                  {attempt.seen.directive} · {attempt.seen.blocked}
                </code>
              ) : (
                t.csp.noEvent
              )}
            </dd>
          </div>
          <div className="claim">
            <dt>{t.csp.serverLabel}</dt>
            <dd data-testid="injection-report">
              {report === 'waiting' && <span className="muted">{t.csp.waiting}</span>}
              {report === 'none' && t.csp.noReport}
              {typeof report === 'object' && (
                <>
                  <code>
                    {report.directive} · {report.blocked} · {report.documentPath}
                  </code>
                  <span className="claim-meaning">{t.csp.received(report.format)}</span>
                </>
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
