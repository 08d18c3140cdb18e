import Link from 'next/link';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { authFetch, forgetSession, refresh, SessionEndedError } from '@/lib/client/auth-client';
import type { DemoMessages } from './messages';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { useNow } from '@/lib/client/use-now';
import { ACCOUNT_API, RENEWED_TOKEN_HEADER } from '@/lib/protocol';
import {
  chooseAccessTtl,
  presentCookieFromAnotherDevice,
  replayOldRefreshToken,
  sendTokenWithoutKey,
  type Answer,
} from './demo-api';
import { localClock } from './format';
import RevocationWatch from './revocation-watch';
import StepUpControl from './step-up-control';

type Props = {
  t: DemoMessages;
  /** Whether the server offers the demo endpoints (DEMO_CONTROLS). */
  demoControls: boolean;
  maxAccessTtl: number;
  refreshGrace: number;
  stepUpMaxAge: number;
  /** Epoch milliseconds of the last rotation this page saw (0: none): the old token is in its grace window until then + grace. */
  rotatedAt: number;
  /** The current access token's lifetime in seconds (exp − iat), if there is one. */
  lifetime: number | null;
  /** The access token in memory, for the control that sends it without this browser's key. */
  accessToken: string | null;
};

const LIFETIMES = [10, 30, 120];
const AUTO_CALL_SECONDS = 4;
/** How long the page shows the revoked session before it forgets it and leaves for the login page. */
const LEAVE_AFTER_SECONDS = 5;

type CallResult = { status: number; user: string | null; renewedExp: number | null };
type LifetimeNote = { kind: 'set'; seconds: number } | { kind: 'failed'; status: number };
type ReplayNote =
  | { kind: 'noPrevious' }
  | { kind: 'grace'; seconds: number }
  | { kind: 'reused'; leaveAt: number }
  | { kind: 'failed'; status: number };
type StolenNote = { foreignProof: Answer; bearer: Answer } | { failed: true };
type OtherDeviceNote =
  { kind: 'refused'; reason: string } | { kind: 'notKeyBound' } | { kind: 'failed'; status: number };

/**
 * The demo's controls: token lifetime, API calls (once or on a timer), watching a revocation from another device arrive,
 * replaying an old refresh token, using the access token or the refresh cookie without this browser's key, and a
 * sensitive change that asks for a recent sign-in.
 */
export default function DemoControls({
  t,
  demoControls,
  maxAccessTtl,
  refreshGrace,
  stepUpMaxAge,
  rotatedAt,
  lifetime,
  accessToken,
}: Props) {
  const now = useNow(500);
  const [available, setAvailable] = useState(demoControls);
  const [busy, setBusy] = useState(false);
  const [lifetimeNote, setLifetimeNote] = useState<LifetimeNote | null>(null);
  const [call, setCall] = useState<CallResult | null>(null);
  const [calling, setCalling] = useState(false);
  const [autoCall, setAutoCall] = useState(false);
  const [replayNote, setReplayNote] = useState<ReplayNote | null>(null);
  const [replayAfter, setReplayAfter] = useState(0);
  const [stolenNote, setStolenNote] = useState<StolenNote | null>(null);
  const [otherDeviceNote, setOtherDeviceNote] = useState<OtherDeviceNote | null>(null);
  const callInFlight = useRef(false);
  const leaveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const headingId = useId();
  const ended = replayNote?.kind === 'reused';

  useEffect(() => () => clearTimeout(leaveTimer.current), []);

  async function callApi() {
    if (callInFlight.current) return;
    callInFlight.current = true;
    setCalling(true);
    try {
      const response = await authFetch(ACCOUNT_API.me);
      const body = (await response.json().catch(() => null)) as { user?: { username?: string } } | null;
      const renewed = response.headers.get(RENEWED_TOKEN_HEADER);
      const exp = renewed ? decodeForDisplay(renewed)?.claims.exp : undefined;
      setCall({
        status: response.status,
        user: body?.user?.username ?? null,
        renewedExp: typeof exp === 'number' ? exp : null,
      });
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setCall({ status: 0, user: null, renewedExp: null });
    } finally {
      callInFlight.current = false;
      setCalling(false);
    }
  }

  const onTick = useEffectEvent(() => {
    void callApi();
  });
  useEffect(() => {
    if (!autoCall) return;
    const id = setInterval(onTick, AUTO_CALL_SECONDS * 1000);
    return () => clearInterval(id);
  }, [autoCall]);

  async function chooseLifetime(seconds: number) {
    setBusy(true);
    try {
      const result = await chooseAccessTtl(seconds);
      if (result.ok) setLifetimeNote({ kind: 'set', seconds: result.expiresIn });
      else if (result.status === 404) setAvailable(false);
      else setLifetimeNote({ kind: 'failed', status: result.status });
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setLifetimeNote({ kind: 'failed', status: 0 });
    } finally {
      setBusy(false);
    }
  }

  async function replay() {
    setBusy(true);
    try {
      const result = await replayOldRefreshToken();
      switch (result.outcome) {
        case 'reused':
          setAutoCall(false);
          setReplayNote({ kind: 'reused', leaveAt: Date.now() + LEAVE_AFTER_SECONDS * 1000 });
          leaveTimer.current = setTimeout(() => forgetSession('reused'), LEAVE_AFTER_SECONDS * 1000);
          break;
        case 'no_previous_token':
          // Rotate once so there is an old token; it stays a harmless retry for the grace window.
          await refresh();
          setReplayNote({ kind: 'noPrevious' });
          setReplayAfter(Date.now() + refreshGrace * 1000);
          break;
        case 'grace_window':
          setReplayNote({ kind: 'grace', seconds: result.retryAfter });
          setReplayAfter(Date.now() + result.retryAfter * 1000);
          break;
        case 'off':
          setAvailable(false);
          break;
        case 'failed':
          setReplayNote({ kind: 'failed', status: result.status });
      }
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setReplayNote({ kind: 'failed', status: 0 });
    } finally {
      setBusy(false);
    }
  }

  async function sendStolenToken() {
    if (!accessToken) return;
    setBusy(true);
    try {
      setStolenNote(await sendTokenWithoutKey(accessToken));
    } catch {
      setStolenNote({ failed: true });
    } finally {
      setBusy(false);
    }
  }

  async function presentCookieElsewhere() {
    setBusy(true);
    try {
      const result = await presentCookieFromAnotherDevice();
      if (result.outcome === 'refused') setOtherDeviceNote({ kind: 'refused', reason: result.reason });
      else if (result.outcome === 'not_key_bound') setOtherDeviceNote({ kind: 'notKeyBound' });
      else if (result.outcome === 'off') setAvailable(false);
      else setOtherDeviceNote({ kind: 'failed', status: result.status });
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setOtherDeviceNote({ kind: 'failed', status: 0 });
    } finally {
      setBusy(false);
    }
  }

  const describe = (answer: Answer) =>
    answer.status >= 200 && answer.status < 300
      ? t.controls.accepted(answer.status)
      : t.controls.refusedWith(answer.status, answer.error ?? '');
  const secondsUntil = (epochMs: number) => Math.max(0, Math.ceil((epochMs - now) / 1000));
  // After any rotation the old token stays a harmless retry for the grace window (the server's clock, plus a second).
  const graceEndsAt = rotatedAt > 0 ? rotatedAt + (refreshGrace + 1) * 1000 : 0;
  const replayWait = secondsUntil(Math.max(replayAfter, graceEndsAt));

  return (
    <section className="panel stack" aria-labelledby={headingId} data-testid="demo-controls">
      <h2 id={headingId}>{t.controls.title}</h2>
      <div className="controls-grid">
        {available && (
          <fieldset className="control demo-only" disabled={ended}>
            <legend>
              {t.controls.lifetimeLabel} <span className="badge warn">{t.controls.badge}</span>
            </legend>
            <div className="segmented" role="group" aria-label={t.controls.lifetimeLabel}>
              {LIFETIMES.map((seconds) => (
                <button
                  key={seconds}
                  type="button"
                  className={lifetime === seconds ? '' : 'secondary'}
                  aria-pressed={lifetime === seconds}
                  disabled={busy}
                  onClick={() => chooseLifetime(seconds)}
                >
                  {t.duration(seconds)}
                </button>
              ))}
            </div>
            <p className="muted small">{t.controls.lifetimeHint(maxAccessTtl)}</p>
            <p className="small" role="status" data-testid="lifetime-status">
              {lifetimeNote?.kind === 'set' && t.controls.lifetimeSet(lifetimeNote.seconds)}
              {lifetimeNote?.kind === 'failed' && t.controls.failed(lifetimeNote.status)}
            </p>
          </fieldset>
        )}

        <fieldset className="control" disabled={ended}>
          <legend>{t.controls.callTitle}</legend>
          <div className="row">
            <button type="button" onClick={callApi} disabled={calling}>
              {calling ? t.controls.calling : t.controls.callOnce}
            </button>
            <label className="switch">
              <input
                type="checkbox"
                role="switch"
                checked={autoCall}
                onChange={(event) => setAutoCall(event.target.checked)}
              />
              {t.controls.autoCall(AUTO_CALL_SECONDS)}
            </label>
          </div>
          <p className="small" aria-live={autoCall ? 'off' : 'polite'} data-testid="call-result">
            {call && (
              <>
                {t.controls.lastCall}: <strong data-testid="call-status">{call.status || '—'}</strong>
                {call.user && ` · ${t.controls.resultFor(call.user)}`}
                {call.renewedExp !== null && ` · ${t.controls.renewedTo(localClock(call.renewedExp, t.locale))}`}
                {call.status === 0 && ` · ${t.controls.callFailed}`}
              </>
            )}
          </p>
        </fieldset>

        <RevocationWatch t={t} disabled={ended} />

        {available && (
          <fieldset className="control demo-only" disabled={ended}>
            <legend>
              {t.controls.replayTitle} <span className="badge warn">{t.controls.badge}</span>
            </legend>
            <div className="row">
              <button type="button" className="danger" onClick={replay} disabled={busy || replayWait > 0}>
                {t.controls.replay}
              </button>
              {replayWait > 0 && (
                <span className="muted small" data-testid="replay-wait">
                  {t.controls.replayWait(replayWait)}
                </span>
              )}
            </div>
            <p className="muted small">{t.controls.replayHint}</p>
            <div role="status" data-testid="replay-status">
              {replayNote?.kind === 'noPrevious' && (
                <p className="notice small">{t.controls.noPrevious(refreshGrace)}</p>
              )}
              {replayNote?.kind === 'grace' && (
                <p className="notice warn small">{t.controls.graceWindow(replayNote.seconds)}</p>
              )}
              {replayNote?.kind === 'failed' && (
                <p className="notice error small">{t.controls.failed(replayNote.status)}</p>
              )}
            </div>
          </fieldset>
        )}

        {available && <StepUpControl t={t} maxAge={stepUpMaxAge} disabled={ended} />}

        {available && (
          <fieldset className="control demo-only" disabled={ended}>
            <legend>
              {t.controls.keyTitle} <span className="badge warn">{t.controls.badge}</span>
            </legend>
            <div className="row">
              <button type="button" className="danger" onClick={sendStolenToken} disabled={busy || !accessToken}>
                {t.controls.stealToken}
              </button>
            </div>
            <p className="muted small">{t.controls.stealTokenHint}</p>
            <div className="small" role="status" data-testid="stolen-token-status">
              {stolenNote && 'failed' in stolenNote && <p className="notice error small">{t.controls.failed(0)}</p>}
              {stolenNote && !('failed' in stolenNote) && (
                <ul>
                  <li>
                    {t.controls.withForeignProof}:{' '}
                    <strong data-testid="stolen-with-proof">{describe(stolenNote.foreignProof)}</strong>
                  </li>
                  <li>
                    {t.controls.asBearer}: <strong data-testid="stolen-as-bearer">{describe(stolenNote.bearer)}</strong>
                  </li>
                </ul>
              )}
            </div>
            <div className="row">
              <button type="button" className="danger" onClick={presentCookieElsewhere} disabled={busy}>
                {t.controls.otherDevice}
              </button>
            </div>
            <p className="muted small">{t.controls.otherDeviceHint}</p>
            <div role="status" data-testid="other-device-status">
              {otherDeviceNote?.kind === 'refused' && (
                <p className="notice small">
                  {t.controls.otherDeviceRefused(otherDeviceNote.reason)}{' '}
                  <Link href="/sessions">{t.controls.seeSessions}</Link>
                </p>
              )}
              {otherDeviceNote?.kind === 'notKeyBound' && <p className="notice warn small">{t.controls.notKeyBound}</p>}
              {otherDeviceNote?.kind === 'failed' && (
                <p className="notice error small">{t.controls.failed(otherDeviceNote.status)}</p>
              )}
            </div>
          </fieldset>
        )}
      </div>
      {replayNote?.kind === 'reused' && (
        <div className="notice error row spread" data-testid="reuse-detected">
          <span role="alert">{t.controls.reused}</span>
          <span className="muted small">{t.controls.leavingIn(secondsUntil(replayNote.leaveAt))}</span>
          <button type="button" className="danger small" onClick={() => forgetSession('reused')}>
            {t.controls.goNow}
          </button>
        </div>
      )}
      {!available && <p className="muted small">{demoControls ? t.controls.demoOff : t.controls.off}</p>}
    </section>
  );
}
