import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { authFetch } from '@/lib/client/auth-client';
import { ACCOUNT_API } from '@/lib/protocol';
import type { DemoMessages } from './messages';

/** How often the watch calls the API, in seconds: well inside the second a revocation takes to reach every instance. */
const WATCH_SECONDS = 0.25;

const withMilliseconds = (epochMs: number, locale: string) =>
  new Date(epochMs).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });

/**
 * Revoked within a second, made visible: while on, the page calls the API every {@link WATCH_SECONDS} s and shows the
 * last call accepted. Signed out from another device, the next call is refused (invalid_token), the refresh that
 * follows says the session was revoked, and the page leaves for sign-in, which says so (the diagram draws the calls).
 */
export default function RevocationWatch({ t, disabled }: { t: DemoMessages; disabled: boolean }) {
  const [watching, setWatching] = useState(false);
  const [acceptedAt, setAcceptedAt] = useState<number | null>(null);
  const inFlight = useRef(false);
  const hintId = useId();

  const onTick = useEffectEvent(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const response = await authFetch(ACCOUNT_API.me);
      if (response.ok) setAcceptedAt(Date.now());
    } catch {
      // A session that ended leaves the page (useRequireSession); a failed call is drawn in the diagram.
    } finally {
      inFlight.current = false;
    }
  });
  useEffect(() => {
    if (!watching || disabled) return;
    const id = setInterval(() => void onTick(), WATCH_SECONDS * 1000);
    return () => clearInterval(id);
  }, [watching, disabled]);

  return (
    <fieldset className="control" disabled={disabled}>
      <legend>{t.controls.revocationTitle}</legend>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-describedby={hintId}
          checked={watching}
          onChange={(event) => setWatching(event.target.checked)}
        />
        {t.controls.autoCall(WATCH_SECONDS)}
      </label>
      <p className="muted small" id={hintId}>
        {t.controls.revocationHint}
      </p>
      <p className="small" data-testid="revocation-watch">
        {acceptedAt !== null && t.controls.lastAccepted(withMilliseconds(acceptedAt, t.locale))}
      </p>
    </fieldset>
  );
}
