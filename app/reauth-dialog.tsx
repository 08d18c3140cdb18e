'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ReauthMethod } from '@/lib/client/passkeys';
import { useMessages } from '@/lib/client/use-lang';

/**
 * Asks the person to prove it is them — before a change to their passkeys, or when a sensitive change needs a recent
 * sign-in (step-up-dialog.tsx): their current password (when the account has one) or one of their passkeys (when it
 * has any), in one modal dialog. `onProof` goes on with the method chosen; the dialog stays open with `error` when it
 * fails.
 */
export default function ReauthDialog({
  title,
  intro,
  hasPassword,
  hasPasskeys,
  pending,
  error,
  onProof,
  onCancel,
}: {
  title: string;
  intro: string;
  hasPassword: boolean;
  hasPasskeys: boolean;
  pending: boolean;
  error: string | null;
  onProof: (method: ReauthMethod) => void;
  onCancel: () => void;
}) {
  const t = useMessages().passkeys;
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [password, setPassword] = useState('');

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onProof({ password });
  }

  return (
    <dialog ref={dialog} className="panel stack" aria-labelledby={headingId} onCancel={onCancel}>
      <h3 id={headingId}>{title}</h3>
      <p className="muted">{intro}</p>
      {hasPassword && (
        <form className="stack" onSubmit={onSubmit} aria-busy={pending}>
          <label>
            {t.currentPassword}
            <input
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          <button type="submit" disabled={pending}>
            {t.continue}
          </button>
        </form>
      )}
      {hasPasskeys && (
        <button
          type="button"
          className={hasPassword ? 'secondary' : ''}
          disabled={pending}
          onClick={() => onProof({ passkey: true })}
        >
          {t.confirmWithPasskey}
        </button>
      )}
      {pending && (
        <p className="muted" role="status">
          {t.waiting}
        </p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="secondary" onClick={onCancel}>
        {t.cancel}
      </button>
    </dialog>
  );
}
