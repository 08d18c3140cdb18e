import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: 'JWT session reference',
  description: 'Short-lived access tokens in memory, rotating refresh tokens in a sealed httpOnly cookie — watched live.',
  icons: { icon: '/favicon.svg' },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            JWT session reference
          </Link>
          <nav aria-label="Main">
            <Link href="/dashboard" prefetch={false}>
              Dashboard
            </Link>
            <Link href="/demo" prefetch={false}>
              Live demo
            </Link>
            <Link href="/sessions" prefetch={false}>
              Sessions
            </Link>
          </nav>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
