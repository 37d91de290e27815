import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // one directory of migrated PGlite databases per run (test/support/pglite-templates.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // argon2 and PGlite are CPU-heavy; two cores
    maxWorkers: 2,
    // the JSON file lets .ci/run print a plain 'N passed, N failed' closing line
    reporters: ['default', ['json', { outputFile: 'reports/vitest-results.json' }]],
  },
});
