import type { Metadata } from 'next';
import { MESSAGES } from '@/lib/client/i18n';
import { requestLanguage } from '@/lib/lang';
import Dashboard from './dashboard';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.dashboard };
}

/** Protected by the middleware; renders no user data on the server — the client fetches it with its token. */
export default function DashboardPage() {
  return <Dashboard />;
}
