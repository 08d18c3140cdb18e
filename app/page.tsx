import Link from 'next/link';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';

export default async function Home() {
  const t = MESSAGES[await requestLanguage()];
  const { intro } = t.home;
  return (
    <div className="stack">
      <section className="panel stack">
        <h1>{t.home.title}</h1>
        <p>
          {intro.lead}
          <strong>{intro.accessToken}</strong>
          {intro.middle}
          <strong>{intro.refreshToken}</strong>
          {intro.rest}
        </p>
        <ul>
          {t.home.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <div className="row">
          <Link className="button" href="/login">
            {t.login.signIn}
          </Link>
          <Link href="/dashboard" prefetch={false}>
            {t.home.toDashboard}
          </Link>
        </div>
      </section>
    </div>
  );
}
