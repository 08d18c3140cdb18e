import { startEarlyRefresh } from '@/lib/client/early-refresh';

// Next.js runs this file in the browser once per full page load, after the HTML and before React hydrates; it is
// bundled with Next's own scripts, so it carries the same CSP nonce. See lib/client/early-refresh.ts.
startEarlyRefresh();
