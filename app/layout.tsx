import type { Metadata } from 'next';
import Link from 'next/link';
import StartRecording from '@/app/demo/start-recording';
import { MESSAGES } from '@/lib/client/i18n';
import { getConfig } from '@/lib/config';
import { LangProvider } from '@/lib/client/use-lang';
import { requestLanguage } from '@/lib/lang';
import LanguageSwitch from './language-switch';
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
 * request makes every page dynamic; see docs/benchmarks.md for what that costs.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = await requestLanguage();
  const t = MESSAGES[lang];
  return (
    <html lang={lang}>
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
          {getConfig().DEMO_CONTROLS && <StartRecording />}
        </LangProvider>
      </body>
    </html>
  );
}
