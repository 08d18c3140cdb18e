'use client';

import { useState } from 'react';
import { adoptTokens, authFetch, SessionEndedError } from '@/lib/client/auth-client';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { ACCOUNT_API, type TokenBody } from '@/lib/protocol';
import { localClock } from './format';
import type { DemoMessages } from './messages';
import { DEMO_API } from './paths';

type Note =
  { kind: 'aged'; authTime: number } | { kind: 'done' } | { kind: 'cancelled' } | { kind: 'failed'; status: number };

/**
 * The demo's step-up control: "Make my sign-in old" moves this session's auth_time back past STEP_UP_MAX_AGE, then
 * "Sign out my other sessions" — a sensitive change — is answered 401 insufficient_user_authentication, which the
 * layout's dialog meets with re-authentication, and authFetch retries it. The diagram draws every step.
 */
export default function StepUpControl({ t, maxAge, disabled }: { t: DemoMessages; maxAge: number; disabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note | null>(null);

  async function run(step: () => Promise<Note>) {
    setBusy(true);
    try {
      setNote(await step());
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setNote({ kind: 'failed', status: 0 });
    } finally {
      setBusy(false);
    }
  }

  const age = () =>
    run(async () => {
      const response = await authFetch(DEMO_API.signInAge, { method: 'POST' });
      if (!response.ok) return { kind: 'failed', status: response.status };
      const body = (await response.json()) as TokenBody;
      adoptTokens(body);
      const authTime = decodeForDisplay(body.accessToken)?.claims.auth_time;
      return { kind: 'aged', authTime: typeof authTime === 'number' ? authTime : 0 };
    });

  const signOutOthers = () =>
    run(async () => {
      const response = await authFetch(`${ACCOUNT_API.sessions}?except=current`, { method: 'DELETE' });
      if (response.ok) return { kind: 'done' };
      return response.status === 401 ? { kind: 'cancelled' } : { kind: 'failed', status: response.status };
    });

  return (
    <fieldset className="control demo-only" disabled={disabled}>
      <legend>{t.stepUp.title}</legend>
      <div className="row">
        <button type="button" className="secondary" onClick={age} disabled={busy}>
          {t.stepUp.age}
        </button>
        <button type="button" onClick={signOutOthers} disabled={busy}>
          {t.stepUp.sensitive}
        </button>
      </div>
      <p className="muted small">{t.stepUp.hint(Math.max(1, Math.round(maxAge / 60)))}</p>
      <p className="small" role="status" data-testid="step-up-status">
        {note?.kind === 'aged' && t.stepUp.aged(localClock(note.authTime, t.locale))}
        {note?.kind === 'done' && t.stepUp.done}
        {note?.kind === 'cancelled' && t.stepUp.cancelled}
        {note?.kind === 'failed' && t.controls.failed(note.status)}
      </p>
    </fieldset>
  );
}
