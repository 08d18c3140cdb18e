import 'server-only';
import { getAccessKeys } from './auth/keys';
import { boundCookieWarning } from './auth/bound-cookie';
import { graceWindowWarning } from './auth/rotation';
import { ConfigError, getConfig, reportConfigError, runsOnVercel } from './config';
import { installRequestGuard } from './node/request-guard';

/**
 * Checks the configuration and imports the signing keys when the server starts, so that a production server with a
 * missing secret or a malformed key stops at once with a message naming the variable — not on the first sign-in.
 * Also installs the request guard (socket address for per-IP limits; 4xx for what Next.js would 500 on).
 *
 * On Vercel the process is a function instance: exiting would only fail the request at hand and start another instance
 * that fails the same way. There a bad configuration is logged once and every request answers 503
 * (lib/http/respond.ts, middleware.ts); `vercel build` already refuses it when the variables are set for the build.
 */
export async function checkStartup(): Promise<void> {
  installRequestGuard();
  try {
    const config = getConfig();
    for (const warning of [graceWindowWarning(config), boundCookieWarning(config)]) {
      if (warning) console.warn(`jwt-session-reference: ${warning}`);
    }
    await getAccessKeys();
  } catch (error) {
    if (error instanceof ConfigError && runsOnVercel()) {
      reportConfigError(error);
      return;
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
