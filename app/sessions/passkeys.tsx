'use client';

import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { SessionEndedError } from '@/lib/client/auth-client';
import {
  addPasskey,
  deletePasskey,
  listPasskeys,
  PasskeyError,
  renamePasskey,
  type ReauthMethod,
} from '@/lib/client/passkeys';
import { useMessages } from '@/lib/client/use-lang';
import { errorText } from '@/lib/i18n/messages';
import type { PasskeysBody, PasskeyView } from '@/lib/protocol';
import ReauthDialog from '../reauth-dialog';

const time = (ms: number, locale: string) => new Date(ms).toLocaleString(locale);

/** What the re-authentication dialog is open for: adding a passkey, or deleting one. */
type Pending = { action: 'add' } | { action: 'delete'; passkey: PasskeyView };

/**
 * The Sessions page's "Passkeys" section: the user's passkeys (name, when added and last used, synced or not, a refused
 * sign-in whose counter went backwards), "Add a passkey", and each one's "Rename" and "Delete". Adding and deleting ask
 * the person to prove it is them first (ReauthDialog). `onChanged` reloads the sessions list.
 */
export default function Passkeys({ onChanged }: { onChanged: () => Promise<void> }) {
  const words = useMessages();
  const t = words.passkeys;
  const headingId = useId();
  const [state, setState] = useState<PasskeysBody | null>(null);
  const [dialog, setDialog] = useState<Pending | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => setState(await listPasskeys()), []);

  useEffect(() => {
    let current = true;
    listPasskeys()
      .then((body) => current && setState(body))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, []);

  /** The words for a failure, null when the session ended (the page goes to the login page by itself). */
  const failed = (error: unknown): string | null => {
    if (error instanceof SessionEndedError) return null;
    return error instanceof PasskeyError && error.code === 'invalid_credentials'
      ? t.wrongProof
      : errorText(words, error);
  };

  async function onProof(method: ReauthMethod) {
    if (!dialog) return;
    setWorking(true);
    setDialogError(null);
    try {
      const done = dialog.action === 'add' ? await addPasskey(method) : await deletePasskey(dialog.passkey.id, method);
      if (!done) {
        setDialogError(t.cancelled);
        return;
      }
      setDialog(null);
      setMessage({ ok: true, text: dialog.action === 'add' ? t.added : t.deleted });
      await load();
      await onChanged();
    } catch (error) {
      const text = failed(error);
      if (text) setDialogError(text);
    } finally {
      setWorking(false);
    }
  }

  async function onRename(event: FormEvent<HTMLFormElement>, passkey: PasskeyView) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    try {
      await renamePasskey(passkey.id, name);
      setRenaming(null);
      setMessage({ ok: true, text: t.renamed });
      await load();
    } catch (error) {
      const text = failed(error);
      if (text) setMessage({ ok: false, text });
    }
  }

  const open = (pending: Pending) => {
    setMessage(null);
    setDialogError(null);
    setDialog(pending);
  };

  return (
    <section className="panel stack" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      {message && (
        <p className={`notice ${message.ok ? '' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {state === null ? (
        <p className="muted">{words.sessions.loading}</p>
      ) : state.passkeys.length === 0 ? (
        <p className="muted">{t.none}</p>
      ) : (
        <ul className="session-list">
          {state.passkeys.map((passkey) => (
            <li key={passkey.id} className="session-item" data-testid="passkey">
              <div>
                {renaming === passkey.id ? (
                  <form className="row" onSubmit={(event) => onRename(event, passkey)}>
                    <label>
                      {t.name}
                      <input name="name" defaultValue={passkey.name} required maxLength={64} autoFocus />
                    </label>
                    <button type="submit">{t.save}</button>
                    <button type="button" className="secondary" onClick={() => setRenaming(null)}>
                      {t.cancel}
                    </button>
                  </form>
                ) : (
                  <strong id={`passkey-${passkey.id}`}>{passkey.name}</strong>
                )}{' '}
                {passkey.synced && <span className="badge">{t.synced}</span>}
                <div className="muted">
                  {t.used(
                    time(passkey.createdAt, words.locale),
                    passkey.lastUsedAt === null ? null : time(passkey.lastUsedAt, words.locale),
                  )}
                </div>
                {passkey.counterRegressedAt !== null && (
                  <p className="notice warn" data-testid="passkey-counter">
                    {t.counterRegressed(time(passkey.counterRegressedAt, words.locale))}
                  </p>
                )}
              </div>
              {renaming !== passkey.id && (
                <div className="row">
                  <button
                    type="button"
                    className="secondary"
                    aria-describedby={`passkey-${passkey.id}`}
                    onClick={() => setRenaming(passkey.id)}
                  >
                    {t.rename}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    aria-describedby={`passkey-${passkey.id}`}
                    onClick={() => open({ action: 'delete', passkey })}
                  >
                    {t.delete}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" onClick={() => open({ action: 'add' })} disabled={state === null}>
          {t.add}
        </button>
      </div>
      {dialog && state && (
        <ReauthDialog
          intro={t.reauthIntro}
          title={dialog.action === 'add' ? t.confirmAdd : t.confirmDelete(dialog.passkey.name)}
          hasPassword={state.hasPassword}
          hasPasskeys={state.passkeys.length > 0}
          pending={working}
          error={dialogError}
          onProof={onProof}
          onCancel={() => setDialog(null)}
        />
      )}
    </section>
  );
}
