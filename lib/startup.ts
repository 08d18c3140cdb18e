import 'server-only';
import { getAccessKeys } from './auth/keys';
import { type Config, ConfigError, DBSC_PROACTIVE_REFRESH_SECONDS, getConfig, reportConfigError, runsOnVercel } from './config';
import { installRequestGuard } from './node/request-guard';
import { REFRESH_RETRY_BUDGET_MS } from './protocol';

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

/**
 * A warning when the grace window is shorter than the time the auth client may spend retrying one refresh
 * (lib/protocol.ts): a retry whose first answer was lost would then look like a stolen token and end the session.
 * Not an error: tests choose short times on purpose. Undefined when the window is long enough.
 */
export function graceWindowWarning(config: Config): string | undefined {
  const budget = REFRESH_RETRY_BUDGET_MS / 1000;
  if (config.REFRESH_GRACE_SECONDS >= budget) return undefined;
  return (
    `REFRESH_GRACE_SECONDS=${config.REFRESH_GRACE_SECONDS} is shorter than the client's refresh retry budget (${budget} s): ` +
    'a refresh whose answer is lost and retried may be treated as token theft.'
  );
}

/**
 * A warning when DBSC is on and its bound cookie lives no longer than the time before expiry at which Chrome renews
 * it: Chrome would then renew it on every request. Undefined otherwise.
 */
export function boundCookieWarning(config: Config): string | undefined {
  if (!config.DBSC || config.DBSC_COOKIE_TTL > DBSC_PROACTIVE_REFRESH_SECONDS) return undefined;
  return (
    `DBSC_COOKIE_TTL=${config.DBSC_COOKIE_TTL} is not longer than the ${DBSC_PROACTIVE_REFRESH_SECONDS} s before expiry at ` +
    'which Chrome renews a bound cookie: it will renew it on every request.'
  );
}
