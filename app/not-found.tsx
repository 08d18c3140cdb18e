import type { Metadata } from 'next';
import Link from 'next/link';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].notFound.title };
}

/**
 * The 404 page, in the reader's language. The framework's own has inline styles, which the page policy refuses
 * (lib/http/csp.ts: styles come from the app's stylesheet only).
 */
export default async function NotFound() {
  const t = MESSAGES[await requestLanguage()].notFound;
  return (
    <section className="panel stack">
      <h1>{t.title}</h1>
      <p>{t.body}</p>
      <p>
        <Link href="/">{t.home}</Link>
      </p>
    </section>
  );
}
