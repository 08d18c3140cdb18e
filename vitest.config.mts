import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': fileURLToPath(new URL('.', import.meta.url)),
  // 'server-only' throws outside React's server bundles; under test every module is server code.
  'server-only': fileURLToPath(new URL('./test/server-only.ts', import.meta.url)),
};

const project = (name: string, env: Record<string, string>) => ({
  resolve: { alias },
  test: {
    name,
    include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 20_000,
    env,
  },
});

// Every unit test runs on SQLite; with TEST_DATABASE_URL set (npm test starts a throwaway server where PostgreSQL is
// installed) they all run on Postgres as well.
const postgresUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    projects: [
      project('sqlite', { TEST_STORE: 'sqlite' }),
      ...(postgresUrl ? [project('postgres', { TEST_STORE: 'postgres', TEST_DATABASE_URL: postgresUrl })] : []),
    ],
  },
});
