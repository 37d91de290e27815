import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** one test file's time in a worker: what CI's budget (20 minutes) is made of */
export interface FileTiming {
  file: string;
  /** importing the file and what it imports that the worker had not imported yet (suite callbacks included) */
  importMs: number;
  /** its tests and hooks (beforeAll starting shops, private servers…), end to end */
  runMs: number;
}

export interface FileTimings {
  /** the run's wall time, ms */
  wallMs: number;
  files: FileTiming[];
}

/**
 * Writes each test file's import and run time (`reports/vitest-file-timings.json`) for .ci/run's summary. Vitest's JSON
 * report gives a file's tests alone: its beforeAll/afterAll hooks and its import are not in it, so a file that spends
 * 40 s starting a cluster and 30 s in tests showed there as 30 s (2026-12-02: the slowest file's real time was 74 s, not
 * the 46 s that report listed first).
 */
export default class FileTimingsReporter implements Reporter {
  private started = 0;
  private readonly timings: FileTiming[] = [];
  private readonly outputFile: string;

  /** vitest passes a reporter given by path its options object (empty when none are given) */
  constructor({ outputFile = 'reports/vitest-file-timings.json' }: { outputFile?: string } = {}) {
    this.outputFile = outputFile;
  }

  onTestRunStart(): void {
    this.started = Date.now();
  }

  onTestModuleEnd(module: TestModule): void {
    const { collectDuration, duration } = module.diagnostic();
    this.timings.push({
      file: relative(process.cwd(), module.moduleId),
      importMs: Math.round(collectDuration),
      runMs: Math.round(duration),
    });
  }

  onTestRunEnd(): void {
    const report: FileTimings = { wallMs: Date.now() - this.started, files: this.timings };
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${JSON.stringify(report, null, 1)}\n`);
  }
}
