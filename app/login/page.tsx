import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DEMO_PASSWORD, DEMO_USERNAME } from '@/lib/auth/accounts';
import { MESSAGES } from '@/lib/i18n/messages';
import { isLoginReason } from '@/lib/protocol';
import { getConfig } from '@/lib/config';
import { requestLanguage } from '@/lib/i18n/request-language';
import { safeNext } from '@/lib/safe-next';
import LoginForm from './login-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.login };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const t = MESSAGES[await requestLanguage()];
  const params = await searchParams;
  const reason = typeof params.reason === 'string' ? params.reason : undefined;
  const next = safeNext(typeof params.next === 'string' ? params.next : null);
  const demo = getConfig().DEMO_ACCOUNT ? { username: DEMO_USERNAME, password: DEMO_PASSWORD } : null;
  return (
    <div className="stack">
      <h1>{t.login.title}</h1>
      {isLoginReason(reason) && (
        <p className={`notice ${reason === 'reused' ? 'error' : 'warn'}`} role="status" data-reason={reason}>
          {t.reasons[reason]}
        </p>
      )}
      {demo && (
        <p className="notice">
          {t.login.demoAccount} <code>{demo.username}</code> / <code>{demo.password}</code>
        </p>
      )}
      <LoginForm next={next} />
    </div>
  );
}
