import 'server-only';
import { getAccessKeys } from './auth/keys';
import { getConfig } from './config';

/**
 * Checks the configuration and imports the signing keys when the server starts, so that a production server with a
 * missing secret or a malformed key stops at once with a message naming the variable — not on the first sign-in.
 */
export async function checkStartup(): Promise<void> {
  try {
    getConfig();
    await getAccessKeys();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
