'use client';

import { useCallback, useEffect, useState } from 'react';
import { authFetch, forgetSession, SessionEndedError } from '@/lib/client/auth-client';
import { responseErrorText } from '@/lib/client/error-text';
import { errorText } from '@/lib/i18n/messages';
import { useMessages } from '@/lib/client/use-lang';
import { useRequireSession } from '@/lib/client/use-require-session';
import { ACCOUNT_API, type SessionView } from '@/lib/protocol';
import Passkeys from './passkeys';
import PasswordForm from './password-form';
import RestoringNotice from '../restoring-notice';

const time = (ms: number, locale: string) => new Date(ms).toLocaleString(locale);
const sessionsOf = async (response: Response) => ((await response.json()) as { sessions: SessionView[] }).sessions;

/** The user's devices (list, how each signed in, revoke one, sign out everywhere else or everywhere), passkeys and password. */
export default function Sessions() {
  const auth = useRequireSession();
  const words = useMessages();
  const t = words.sessions;
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const call = useCallback(
    async (path: string, init?: RequestInit): Promise<Response | null> => {
      try {
        const response = await authFetch(path, init);
        if (response.ok) return response;
        setError(await responseErrorText(words, response));
      } catch (failure) {
        if (!(failure instanceof SessionEndedError)) setError(errorText(words, failure));
      }
      return null;
    },
    [words],
  );

  const load = useCallback(async () => {
    const response = await call(ACCOUNT_API.sessions);
    if (response) setSessions(await sessionsOf(response));
  }, [call]);

  const signedIn = auth.status === 'authenticated';
  useEffect(() => {
    if (!signedIn) return;
    let current = true;
    authFetch(ACCOUNT_API.sessions)
      .then((response) => (response.ok ? sessionsOf(response) : null))
      .then((list) => current && list && setSessions(list))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [signedIn]);

  async function revoke(session: SessionView) {
    setError(null);
    if (!(await call(`${ACCOUNT_API.sessions}/${encodeURIComponent(session.id)}`, { method: 'DELETE' }))) return;
    if (session.current) return forgetSession('signed_out');
    setMessage(t.signedOutDevice(session.device));
    await load();
  }

  async function revokeAll(keepCurrent: boolean) {
    setError(null);
    if (
      !(await call(keepCurrent ? `${ACCOUNT_API.sessions}?except=current` : ACCOUNT_API.sessions, { method: 'DELETE' }))
    )
      return;
    if (!keepCurrent) return forgetSession('signed_out');
    setMessage(t.signedOutOthers);
    await load();
  }

  if (!auth.user) {
    if (auth.status !== 'reconnecting') return <RestoringNotice>{words.restoring}</RestoringNotice>;
    return (
      <p className="muted" role="status">
        {t.reconnecting}
      </p>
    );
  }

  return (
    <div className="stack">
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div aria-live="polite">
        {message && <p className="notice">{message}</p>}
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </div>
      <section className="panel stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t.active}</h2>
        {sessions === null ? (
          <p className="muted">{t.loading}</p>
        ) : (
          <ul className="session-list" data-testid="sessions">
            {sessions.map((session) => (
              <li key={session.id} className="session-item" data-current={session.current || undefined}>
                <div>
                  <strong>{session.device}</strong>{' '}
                  {session.current && <span className="badge ok">{t.thisSession}</span>}{' '}
                  {session.keyBound && <span className="badge">{t.keyBound}</span>}{' '}
                  {session.deviceBound && (
                    <span className="badge ok" data-testid="device-bound">
                      {t.deviceBound}
                    </span>
                  )}
                  <div className="muted">
                    {t.used(time(session.createdAt, words.locale), time(session.lastUsedAt, words.locale))} ·{' '}
                    {t.signedInWith[session.signedInWith]}
                  </div>
                  {session.refused && (
                    <p className="notice warn" data-testid="refused-attempts">
                      {t.refused(session.refused.count, time(session.refused.lastAt, words.locale))}
                    </p>
                  )}
                </div>
                <button type="button" className="danger" onClick={() => revoke(session)}>
                  {words.signOut}
                  <span className="sr-only">
                    {' '}
                    {session.device}
                    {session.current ? ` (${t.thisSession})` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <button type="button" className="secondary" onClick={() => revokeAll(true)}>
            {t.signOutEverywhereElse}
          </button>
          <button type="button" className="danger" onClick={() => revokeAll(false)}>
            {t.signOutEverywhere}
          </button>
        </div>
      </section>
      <Passkeys onChanged={load} />
      <PasswordForm onChanged={load} />
    </div>
  );
}
