import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      '.next/**',
      '.bench/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    // CommonJS by design: next.config.js and the scripts it loads (package.json has no "type").
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['lib/config.ts', 'e2e/**', 'test/**', 'scripts/**', 'playwright.config.ts', 'vitest.config.mts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through lib/config.ts.' },
      ],
    },
  },
  {
    // The demo is built on the core, never the reverse: nothing the core, the auth API, the middleware or the root
    // layout is made of may import it.
    files: ['lib/**', 'app/api/auth/**', 'app/api/me/**', 'app/api/health/**', 'middleware.ts', 'app/layout.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/app/demo', '@/app/demo/**', '**/app/demo/**', '@/app/api/demo/**'],
              message: 'The core must not depend on the live demo (app/demo builds on lib, never the reverse).',
            },
          ],
        },
      ],
    },
  },
];

export default config;
