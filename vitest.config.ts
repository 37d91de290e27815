import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // one directory of migrated PGlite databases per run (test/support/pglite-templates.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // argon2 and PGlite are CPU-heavy; two cores
    maxWorkers: 2,
    // the JSON file lets .ci/run print a plain 'N passed, N failed' closing line
    reporters: ['default', ['json', { outputFile: 'reports/vitest-results.json' }]],
    projects: [
      // Tests beside the code build their own instances and share no process state: one module graph per worker
      // serves them all. Importing it afresh for every file was a quarter of their time on the 2-core CI box
      // (src/platform: 151 s isolated, 113 s shared, every test passing).
      { extends: true, test: { name: 'src', include: ['src/**/*.test.ts'], isolate: false } },
      // End-to-end, fault, security and deployment tests start shops and processes through test/support, which
      // undoes what it sets (servers, temp dirs; one exit hook per process): they share a worker's module graph
      // too. A fresh worker per file spent 190 s of a CI run importing (the project 531 → 476 s, all passing).
      { extends: true, test: { name: 'test', include: ['test/**/*.test.ts'], isolate: false } },
    ],
  },
});
