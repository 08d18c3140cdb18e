import { useState, type FormEvent } from 'react';
import { authFetch, SessionEndedError } from '@/lib/client/auth-client';
import { responseErrorText } from '@/lib/client/error-text';
import { errorText } from '@/lib/i18n/messages';
import { useMessages } from '@/lib/client/use-lang';
import { ACCOUNT_API } from '@/lib/protocol';

/** Changes the password; the server signs out every other session. */
export default function PasswordForm({ onChanged }: { onChanged: () => Promise<void> }) {
  const words = useMessages();
  const t = words.password;
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setResult(null);
    try {
      const response = await authFetch(ACCOUNT_API.password, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') }),
      });
      if (response.status === 204) {
        form.reset();
        setResult({ ok: true, text: t.changed });
        await onChanged();
      } else {
        const { error } = (await response
          .clone()
          .json()
          .catch(() => ({}))) as { error?: string };
        setResult({
          ok: false,
          text: error === 'invalid_credentials' ? t.wrongCurrent : await responseErrorText(words, response),
        });
      }
    } catch (error) {
      if (!(error instanceof SessionEndedError)) setResult({ ok: false, text: errorText(words, error) });
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="panel stack" aria-labelledby="password-heading">
      <h2 id="password-heading">{t.title}</h2>
      <form className="stack" onSubmit={onSubmit} aria-busy={pending}>
        <label>
          {t.current}
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t.next}
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={256}
          />
        </label>
        {result && (
          <p className={`notice ${result.ok ? '' : 'error'}`} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? t.changing : t.submit}
        </button>
      </form>
    </section>
  );
}
