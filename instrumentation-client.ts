import { startEarlyRefresh } from '@/lib/client/early-refresh';
import { installTrustedTypesPolicy } from '@/lib/client/trusted-types';

// Next.js runs this file in the browser once per full page load, after the HTML and before React hydrates; it is
// bundled with Next's own scripts, so it carries the same CSP nonce. The Trusted Types default policy comes first
// (lib/client/trusted-types.ts), then the page load's one refresh (lib/client/early-refresh.ts).
// eslint-disable-next-line no-restricted-properties -- the build's mode is Next's, inlined at build time, not app configuration
installTrustedTypesPolicy({ dev: process.env.NODE_ENV === 'development' });
startEarlyRefresh();
