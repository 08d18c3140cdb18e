'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { login, register } from '@/lib/client/auth-client';
import { useAuth } from '@/lib/client/use-auth';

type Mode = 'login' | 'register';

/** Sign-in and registration form; errors are announced, and the button shows progress while the request runs. */
export default function LoginForm({ next }: { next: string }) {
  const router = useRouter();
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
      const status = (failure as { status?: number }).status;
      setError(
        status === 401
          ? 'Wrong username or password.'
          : failure instanceof TypeError
            ? 'The server could not be reached. Try again.'
            : (failure as Error).message,
      );
      setPending(false);
    }
  }

  return (
    <section className="panel stack">
      <div className="row" role="group" aria-label="Choose">
        <button type="button" className={mode === 'login' ? '' : 'secondary'} aria-pressed={mode === 'login'} onClick={() => setMode('login')}>
          Sign in
        </button>
        <button
          type="button"
          className={mode === 'register' ? '' : 'secondary'}
          aria-pressed={mode === 'register'}
          onClick={() => setMode('register')}
        >
          Create account
        </button>
      </div>
      <form className="stack" onSubmit={onSubmit} aria-busy={pending} noValidate>
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={mode === 'register' ? 3 : 1} maxLength={64} />
        </label>
        <label>
          Password
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
          {pending ? (mode === 'login' ? 'Signing in…' : 'Creating account…') : mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </section>
  );
}
