import type { Metadata } from 'next';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';
import Sessions from './sessions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.sessions };
}

/** Protected by the middleware; the list is fetched by the client with its access token. */
export default function SessionsPage() {
  return <Sessions />;
}
