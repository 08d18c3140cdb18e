import 'server-only';
import { getAccessKeys } from './auth/keys';
import { getConfig } from './config';
import { installSocketIpHeader } from './node/socket-ip';

/**
 * Checks the configuration and imports the signing keys when the server starts, so that a production server with a
 * missing secret or a malformed key stops at once with a message naming the variable — not on the first sign-in.
 * Also installs the socket-address stamp that per-IP rate limits rely on.
 */
export async function checkStartup(): Promise<void> {
  try {
    getConfig();
    await getAccessKeys();
    installSocketIpHeader();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
