/** Runs once when a server starts (see lib/startup.ts). */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- the runtime name is Next's, not app configuration
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkStartup } = await import('./lib/startup');
    await checkStartup();
  }
}
