import type { Metadata } from 'next';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';
import Dashboard from './dashboard';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.dashboard };
}

/** Protected by the middleware; renders no user data on the server — the client fetches it with its token. */
export default function DashboardPage() {
  return <Dashboard />;
}
