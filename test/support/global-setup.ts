import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** where this run's migrated PGlite templates live (pglite-templates.ts); removed when the run ends */
    pgliteTemplateDir: string;
  }
}

/** One directory per test run, shared by every worker: a migrated database is built once per run, not once per test. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'floodgate-templates-'));
  project.provide('pgliteTemplateDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
