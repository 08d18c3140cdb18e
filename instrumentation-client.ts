import { installTrustedTypesPolicy } from '@/lib/client/trusted-types';

// Runs in the browser before the app's code: the Trusted Types default policy comes first (lib/client/trusted-types.ts).
// eslint-disable-next-line no-restricted-properties -- the build's mode is Next's, inlined at build time, not app configuration
installTrustedTypesPolicy({ dev: process.env.NODE_ENV === 'development' });
