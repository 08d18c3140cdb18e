import type { Metadata } from 'next';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';
import Dashboard from '../dashboard/dashboard';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.dashboard };
}

/**
 * The dashboard's public twin: the same page outside the protected paths, so the middleware runs on it and lets it
 * through without a check. It is the baseline `npm run bench` measures /dashboard against (see docs/benchmarks.md).
 * Nothing is exposed: like /dashboard it renders no user data on the server, the client still needs a session (it goes
 * to /login without one), and every API call checks its token.
 */
export default function DashboardTwinPage() {
  return <Dashboard />;
}
