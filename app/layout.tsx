import type { Metadata } from 'next';
import Link from 'next/link';
import { MESSAGES } from '@/lib/i18n/messages';
import { getConfig } from '@/lib/config';
import { EXCHANGE_HISTORY_ATTRIBUTE } from '@/lib/protocol';
import { LangProvider } from '@/lib/client/use-lang';
import { requestLanguage } from '@/lib/i18n/request-language';
import LanguageSwitch from './language-switch';
import StepUpDialog from './step-up-dialog';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = MESSAGES[await requestLanguage()];
  return {
    title: { default: t.appName, template: `%s · ${t.appName}` },
    description: t.description,
    icons: { icon: '/favicon.svg' },
  };
}

/**
 * Renders in the reader's language from the first byte (their `lang` cookie, else Accept-Language). Reading the
 * request makes every page dynamic; see docs/benchmarks.md for what that costs. With DEMO_CONTROLS on, `<html>` carries
 * EXCHANGE_HISTORY_ATTRIBUTE, and the auth client keeps its last exchanges from the first page's first request on (the
 * early refresh included), for observers that subscribe later (the live demo's diagram draws a sign-in made before
 * /demo was opened); off, it keeps nothing. The attribute says only that the demo is on: no session data is in the HTML.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = await requestLanguage();
  const t = MESSAGES[lang];
  return (
    <html lang={lang} {...(getConfig().DEMO_CONTROLS && { [EXCHANGE_HISTORY_ATTRIBUTE]: '' })}>
      <body>
        <LangProvider lang={lang}>
          <header className="site-header">
            <Link href="/" className="brand">
              {t.appName}
            </Link>
            <div className="row">
              <nav aria-label={t.nav.label}>
                <Link href="/dashboard" prefetch={false}>
                  {t.nav.dashboard}
                </Link>
                <Link href="/demo" prefetch={false}>
                  {t.nav.demo}
                </Link>
                <Link href="/sessions" prefetch={false}>
                  {t.nav.sessions}
                </Link>
              </nav>
              <LanguageSwitch />
            </div>
          </header>
          <main className="page">{children}</main>
          <StepUpDialog />
        </LangProvider>
      </body>
    </html>
  );
}
