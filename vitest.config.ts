import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // one directory of migrated PGlite databases per run (test/support/pglite-templates.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // argon2 and PGlite are CPU-heavy; two cores
    maxWorkers: 2,
    // the JSON file lets .ci/run print a plain 'N passed, N failed' closing line; the file timings, which test files
    // its 20-minute budget goes to (imports and hooks included, which the JSON report leaves out)
    reporters: ['default', ['json', { outputFile: 'reports/vitest-results.json' }], './test/support/file-timings-reporter.ts'],
    // One pool for every file: as two projects, no test/ file started before the last src/ file had ended (a CI
    // run's timeline on a slow box, 1,153 s of its 1,200); the next run, in one pool, took 1,068 s.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests beside the code build their own instances and share no process state; the end-to-end, fault, security
    // and deployment tests start shops and processes through test/support, which undoes what it sets (servers, temp
    // dirs; one exit hook per process). So one module graph per worker serves them all: importing it afresh for
    // every file was a quarter of the src/ tests' time and 190 s of the test/ ones' on the 2-core CI box.
    isolate: false,
  },
});
