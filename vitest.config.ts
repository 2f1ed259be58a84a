import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      // The subpath first: an alias also matches the paths below its name.
      '@fawkes/query/cases': fileURLToPath(new URL('./packages/query/src/cases.ts', import.meta.url)),
      '@fawkes/query': src('query'),
      '@fawkes/client': src('client'),
      '@fawkes/inferences': src('inferences'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/server/e2e/**/*.test.ts',
      'packages/client/codegen/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 30_000,
    // expect.poll waits on a condition; its 1 s default is too short for chromium on a loaded 2-core machine.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 60_000,
    pool: 'forks',
    // PostgreSQL for the dialect-parameterized tests: FAWKES_TEST_DATABASE_URL, else a throwaway cluster.
    globalSetup: ['packages/server/test-support/postgres-global-setup.ts'],
  },
});
