/**
 * The page's Trusted Types default policy, made before the app's code runs (instrumentation-client.ts). The page
 * policy's `require-trusted-types-for 'script'` (lib/http/csp.ts) sends every string a script hands to a script sink
 * through it:
 * - script text is refused: an inline script made by script does not run ('strict-dynamic' alone would let it);
 * - a script URL is allowed only for this origin's bundles (how Turbopack loads a chunk);
 * - HTML passes unchanged: what HTML could run, the page policy's script-src still refuses (an event handler, a script
 *   without the nonce, a `javascript:` URL).
 */
/** The part of the Trusted Types API used here (TypeScript's DOM library does not declare it yet). */
interface TrustedTypePolicyFactory {
  readonly defaultPolicy: unknown;
  createPolicy(name: 'default', rules: Record<string, (value: string) => string | null>): unknown;
}

/**
 * Makes the default policy, once (a second call, or a browser without Trusted Types, does nothing). In development
 * script text passes: hot reloading evaluates strings (what the development policy's `'unsafe-eval'` is for).
 */
export function installTrustedTypesPolicy({ dev = false }: { dev?: boolean } = {}): void {
  const { trustedTypes } = globalThis as { trustedTypes?: TrustedTypePolicyFactory };
  if (!trustedTypes || trustedTypes.defaultPolicy) return;
  trustedTypes.createPolicy('default', {
    createHTML: (html: string) => html,
    createScript: (text: string) => (dev ? text : null),
    createScriptURL: (value: string) => {
      const url = new URL(value, location.href);
      // Unchanged: Turbopack finds a loaded chunk by the URL it asked for.
      return url.origin === location.origin && url.pathname.startsWith('/_next/static/') ? value : null;
    },
  });
}
