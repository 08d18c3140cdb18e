'use client';

import Link from 'next/link';
import { useState } from 'react';
import { authFetch, logout, SessionEndedError } from '@/lib/client/auth-client';
import { errorText } from '@/lib/i18n/messages';
import { decodeForDisplay } from '@/lib/client/jwt-view';
import { useNow } from '@/lib/client/use-now';
import { useMessages } from '@/lib/client/use-lang';
import { useRequireSession } from '@/lib/client/use-require-session';
import { ACCOUNT_API } from '@/lib/protocol';
import RestoringNotice from '../restoring-notice';

type CallResult = { status: number; body: unknown; calls: number } | { error: string };

/** The signed-in user, the current access token's claims, and buttons that call the protected API. */
export default function Dashboard() {
  const auth = useRequireSession();
  const words = useMessages();
  const t = words.dashboard;
  const now = useNow();
  const [result, setResult] = useState<CallResult | null>(null);
  const [calling, setCalling] = useState(false);

  if (auth.status === 'loading' || auth.status === 'unauthenticated' || !auth.user) {
    return <RestoringNotice>{words.restoring}</RestoringNotice>;
  }

  const decoded = auth.accessToken ? decodeForDisplay(auth.accessToken) : null;
  const secondsLeft = Math.max(0, Math.round((auth.expiresAt - now) / 1000));

  /** Calls the API `count` times at once: with an expired token they share one refresh. */
  async function callApi(count: number) {
    setCalling(true);
    try {
      const responses = await Promise.all(Array.from({ length: count }, () => authFetch(ACCOUNT_API.me)));
      const last = responses[responses.length - 1]!;
      setResult({ status: last.status, body: await last.json(), calls: count });
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setResult({ error: errorText(words, error) });
    } finally {
      setCalling(false);
    }
  }

  // logout() forgets the session whatever the network does; useRequireSession then leaves for /login.
  const signOut = () => logout().catch(() => {});

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>
          {t.signedInAs} <span data-testid="username">{auth.user.username}</span>
        </h1>
        <div className="row">
          <Link href="/demo" prefetch={false}>
            {t.watchDemo}
          </Link>
          <button type="button" className="secondary" onClick={signOut}>
            {words.signOut}
          </button>
        </div>
      </div>
      {auth.status === 'reconnecting' && (
        <p className="notice warn" role="status">
          {words.reconnecting}
        </p>
      )}
      <div className="grid-2">
        <section className="panel stack" aria-labelledby="token-heading">
          <h2 id="token-heading">{t.tokenHeading}</h2>
          <p>
            {t.expiresIn.before}
            <strong data-testid="seconds-left">{secondsLeft}</strong>
            {t.expiresIn.after}
          </p>
          {decoded && (
            <dl className="claims" data-testid="claims">
              {Object.entries(decoded.claims).map(([name, value]) => (
                <div key={name} style={{ display: 'contents' }}>
                  <dt>{name}</dt>
                  <dd className="mono">{JSON.stringify(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section className="panel stack" aria-labelledby="api-heading">
          <h2 id="api-heading">{t.apiHeading}</h2>
          <div className="row">
            <button type="button" onClick={() => callApi(1)} disabled={calling}>
              {calling ? t.calling : t.callOnce}
            </button>
            <button type="button" className="secondary" onClick={() => callApi(2)} disabled={calling}>
              {t.callTwice}
            </button>
          </div>
          <div aria-live="polite" data-testid="api-result">
            {result && 'status' in result && (
              <>
                <p>
                  {t.status} <strong data-testid="api-status">{result.status}</strong>
                  {result.calls > 1 && <span className="muted"> {t.lastOf(result.calls)}</span>}
                </p>
                <pre>{JSON.stringify(result.body, null, 2)}</pre>
              </>
            )}
            {result && 'error' in result && (
              <p className="notice error" role="alert">
                {result.error}
              </p>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
