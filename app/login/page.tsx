import { connection } from 'next/server';
import { DEMO_PASSWORD, DEMO_USERNAME } from '@/lib/auth/accounts';
import { LOGIN_REASONS, isLoginReason } from '@/lib/client/reasons';
import { getConfig } from '@/lib/config';
import { safeNext } from '@/lib/safe-next';
import LoginForm from './login-form';

export const metadata = { title: 'Sign in · JWT session reference' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const params = await searchParams;
  const reason = typeof params.reason === 'string' ? params.reason : undefined;
  const next = safeNext(typeof params.next === 'string' ? params.next : null);
  const demo = getConfig().demoAccount ? { username: DEMO_USERNAME, password: DEMO_PASSWORD } : null;
  return (
    <div className="stack">
      <h1>Sign in</h1>
      {isLoginReason(reason) && (
        <p className={`notice ${reason === 'reused' ? 'error' : 'warn'}`} role="status" data-reason={reason}>
          {LOGIN_REASONS[reason]}
        </p>
      )}
      {demo && (
        <p className="notice">
          Demo account: <code>{demo.username}</code> / <code>{demo.password}</code>
        </p>
      )}
      <LoginForm next={next} />
    </div>
  );
}
