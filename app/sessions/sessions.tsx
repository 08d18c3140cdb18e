'use client';

import { useCallback, useEffect, useState } from 'react';
import { authFetch, forgetSession, SessionEndedError } from '@/lib/client/auth-client';
import { useRequireSession } from '@/lib/client/use-require-session';
import { ACCOUNT_API, type SessionView } from '@/lib/protocol';
import PasswordForm from './password-form';

const time = (ms: number) => new Date(ms).toLocaleString();
const sessionsOf = async (response: Response) => ((await response.json()) as { sessions: SessionView[] }).sessions;

/** The user's devices: list, revoke one, sign out everywhere else or everywhere. */
export default function Sessions() {
  const auth = useRequireSession();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const call = useCallback(async (path: string, init?: RequestInit): Promise<Response | null> => {
    try {
      const response = await authFetch(path, init);
      if (response.ok) return response;
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      setError(body.message ?? `Request failed (${response.status}).`);
    } catch (failure) {
      if (!(failure instanceof SessionEndedError)) setError((failure as Error).message);
    }
    return null;
  }, []);

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
    setMessage(`Signed out ${session.device}.`);
    await load();
  }

  async function revokeAll(keepCurrent: boolean) {
    setError(null);
    if (!(await call(keepCurrent ? `${ACCOUNT_API.sessions}?except=current` : ACCOUNT_API.sessions, { method: 'DELETE' }))) return;
    if (!keepCurrent) return forgetSession('signed_out');
    setMessage('Signed out every other session.');
    await load();
  }

  if (!auth.user) {
    return (
      <p className="muted" role="status">
        {auth.status === 'reconnecting' ? 'Reconnecting…' : 'Restoring your session…'}
      </p>
    );
  }

  return (
    <div className="stack">
      <h1>Sessions</h1>
      <p className="muted">
        Every sign-in is a session. Signing one out stops its refresh at once; an access token it already holds lasts at
        most until it expires.
      </p>
      <div aria-live="polite">
        {message && <p className="notice">{message}</p>}
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </div>
      <section className="panel stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Active sessions</h2>
        {sessions === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <ul className="session-list" data-testid="sessions">
            {sessions.map((session) => (
              <li key={session.id} className="session-item" data-current={session.current || undefined}>
                <div>
                  <strong>{session.device}</strong> {session.current && <span className="badge ok">this session</span>}
                  <div className="muted">
                    Signed in {time(session.createdAt)} · last used {time(session.lastUsedAt)}
                  </div>
                </div>
                <button type="button" className="danger" onClick={() => revoke(session)}>
                  Sign out<span className="sr-only"> {session.device}{session.current ? ' (this session)' : ''}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <button type="button" className="secondary" onClick={() => revokeAll(true)}>
            Sign out everywhere else
          </button>
          <button type="button" className="danger" onClick={() => revokeAll(false)}>
            Sign out everywhere
          </button>
        </div>
      </section>
      <PasswordForm onChanged={load} />
    </div>
  );
}
