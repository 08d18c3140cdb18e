// `npm run migrate`: brings the database named by DATABASE_URL (or DATABASE_PATH) up to the latest schema.
// The app also migrates on first use; run this before deploying a release that changes the schema, so no request
// pays for it. Needs AUTH_SECRET like the app (any value of 32+ characters will do for a migration).
import { closeDb, getDb } from '@/lib/db';
import { getConfig } from '@/lib/config';

async function main() {
  const config = getConfig();
  await getDb();
  await closeDb();
  console.log(`migrate: ${config.DATABASE_URL ? 'Postgres' : `SQLite at ${config.DATABASE_PATH}`} is up to date`);
}

main().catch((error: unknown) => {
  console.error(`migrate: ${error instanceof Error ? error.message : error}`);
  if (error instanceof Error && error.cause instanceof Error) console.error(`  cause: ${error.cause.message}`);
  process.exit(1);
});
