import { installTrustedTypesPolicy } from '@/lib/client/trusted-types';

// Runs in the browser before the app's code: the Trusted Types default policy comes first (lib/client/trusted-types.ts).
installTrustedTypesPolicy();
