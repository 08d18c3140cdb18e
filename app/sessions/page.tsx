import Sessions from './sessions';

export const metadata = { title: 'Sessions · JWT session reference' };

/** Protected by the middleware; the list is fetched by the client with its access token. */
export default function SessionsPage() {
  return <Sessions />;
}
