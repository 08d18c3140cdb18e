import 'server-only';
import { getAccessKeys } from './auth/keys';
import { configWarning, getConfig } from './config';
import { installRequestGuard } from './node/request-guard';

/**
 * Checks the configuration and imports the signing keys when the server starts, so that a production server with a
 * missing secret or a malformed key stops at once with a message naming the variable — not on the first sign-in.
 * Also installs the request guard (socket address for per-IP limits; 4xx for what Next.js would 500 on).
 */
export async function checkStartup(): Promise<void> {
  try {
    const warning = configWarning(getConfig());
    if (warning) console.warn(warning);
    await getAccessKeys();
    installRequestGuard();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
