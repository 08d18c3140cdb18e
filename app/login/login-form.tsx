'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { login, register } from '@/lib/client/auth-client';
import { errorText } from '@/lib/i18n/messages';
import { useAuth } from '@/lib/client/use-auth';
import { useMessages } from '@/lib/client/use-lang';

type Mode = 'login' | 'register';

const MODES: readonly Mode[] = ['login', 'register'];

/** The tab list's keys (WAI-ARIA tabs pattern): from the selected tab's index to the next one's, wrapping around. */
const TAB_KEYS: Record<string, (index: number) => number> = {
  ArrowRight: (index) => index + 1,
  ArrowDown: (index) => index + 1,
  ArrowLeft: (index) => index - 1,
  ArrowUp: (index) => index - 1,
  Home: () => 0,
  End: () => MODES.length - 1,
};

/**
 * Sign-in and registration form. The mode is a tab list (arrow keys, Home and End move between the tabs), so the
 * submit button is the only button named "Sign in". Errors are announced; the button shows progress while it runs.
 */
export default function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const words = useMessages();
  const t = words.login;
  const id = useId();
  const tabs = useRef<Record<Mode, HTMLButtonElement | null>>({ login: null, register: null });
  const [mode, setMode] = useState<Mode>('login');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { status } = useAuth();

  // Signed in here or in another tab (the token arrives over BroadcastChannel): go on to the page asked for.
  // The router cache is dropped first: it may hold a prefetched redirect to this page from before sign-in.
  useEffect(() => {
    if (status !== 'authenticated') return;
    router.refresh();
    router.replace(next);
  }, [status, next, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '');
    const password = String(form.get('password') ?? '');
    setPending(true);
    setError(null);
    try {
      await (mode === 'login' ? login : register)(username, password);
    } catch (failure) {
      setError(errorText(words, failure));
      setPending(false);
    }
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const move = TAB_KEYS[event.key];
    if (!move) return;
    event.preventDefault();
    const target = MODES[(move(MODES.indexOf(mode)) + MODES.length) % MODES.length]!;
    setMode(target);
    tabs.current[target]?.focus();
  }

  return (
    <section className="panel stack">
      <div className="row" role="tablist" aria-label={t.modeLabel} onKeyDown={onTabKey}>
        {MODES.map((option) => (
          <button
            key={option}
            ref={(element) => {
              tabs.current[option] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-${option}`}
            aria-selected={mode === option}
            aria-controls={`${id}-panel`}
            tabIndex={mode === option ? 0 : -1}
            className={mode === option ? '' : 'secondary'}
            onClick={() => setMode(option)}
          >
            {option === 'login' ? t.signIn : t.register}
          </button>
        ))}
      </div>
      <form
        className="stack"
        id={`${id}-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-${mode}`}
        onSubmit={onSubmit}
        aria-busy={pending}
        noValidate
      >
        <label>
          {t.username}
          <input
            name="username"
            autoComplete="username"
            required
            minLength={mode === 'register' ? 3 : 1}
            maxLength={64}
          />
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'register' ? 8 : 1}
            maxLength={256}
          />
        </label>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? (mode === 'login' ? t.signingIn : t.registering) : mode === 'login' ? t.signIn : t.register}
        </button>
      </form>
    </section>
  );
}
