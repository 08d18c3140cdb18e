import Link from 'next/link';

export default function Home() {
  return (
    <div className="stack">
      <section className="panel stack">
        <h1>Watch a JWT session live</h1>
        <p>
          Sign in and this app issues a short-lived <strong>access token</strong> (a JWT kept only in this page&apos;s
          memory) and a long-lived <strong>refresh token</strong> (sealed in an httpOnly cookie no script can read).
          Every API call is checked for identity and expiry; when the access token expires, the page renews it with the
          refresh token and retries — you never notice.
        </p>
        <ul>
          <li>Refresh tokens rotate on every use; replaying an old one ends the whole session.</li>
          <li>Both audiences — this client and the API server — are required on every access token.</li>
          <li>Edge middleware keeps signed-out visitors away from protected pages; every API route checks for itself.</li>
        </ul>
        <div className="row">
          <Link className="button" href="/login">
            Sign in
          </Link>
          <Link href="/dashboard" prefetch={false}>
            Go to the dashboard
          </Link>
        </div>
      </section>
    </div>
  );
}
