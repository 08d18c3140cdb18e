import Dashboard from './dashboard';

export const metadata = { title: 'Dashboard · JWT session reference' };

/** Protected by the middleware; renders no user data on the server — the client fetches it with its token. */
export default function DashboardPage() {
  return <Dashboard />;
}
