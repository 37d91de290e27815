import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantRateScenario, startLocalTestServer, type LocalTestServer } from './local-test-server.js';
import { objectiveChecks } from './objectives.js';
import { runLoadTest } from './run-load-test.js';
import type { StepRow } from './step-table.js';

const row = (step: string, count: number, p99: number, errors: number): StepRow =>
  ({ step, count, rps: 1, mean: p99 / 2, p50: p99 / 2, p95: p99, p99, max: p99, errors, errorsByStatus: {}, statuses: {}, refused: 0, refusedByStatus: {}, servedP50: p99 / 2, servedP99: p99, refusedP50: 0, refusedP99: 0 });

describe('load-test objectives', () => {
  it('when a step misses its p99 or error rate, then its check fails naming what was missed; steps within both pass', () => {
    const checks = objectiveChecks([row('browse', 100, 150, 0), row('checkout', 50, 2_500, 2), row('idle', 0, 0, 0), row('total', 150, 2_500, 2)], { p99Ms: 2_000, errorRate: 0.01 });
    expect(checks.map((c) => [c.name.split(' ')[1], c.status])).toEqual([['browse', 'passed'], ['checkout', 'failed']]);
    expect(checks[1]!.detail).toBe('missed: p99 2500 ms > 2000 ms; errors 4.0 % > 1.0 % over 50 answers');
  });

  describe('a run against a slow target', () => {
    let server: LocalTestServer;
    beforeAll(async () => {
      server = await startLocalTestServer({ delayMs: 40 });
    });
    afterAll(() => server?.close());

    it('when the run misses its p99 objective, then the run fails (the CLI exits 1) though every request succeeded', async () => {
      const result = await runLoadTest({ scenario: constantRateScenario(20, 1), target: server.url, outDir: false, progress: false, objectives: { p99Ms: 5 } });
      expect(result.checks.find((c) => c.name.startsWith('objective: ping'))).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^missed: p99 \d+ ms > 5 ms/) });
      expect(result.passed).toBe(false);
    });

    it('when the run meets its objectives, then it passes', async () => {
      const result = await runLoadTest({ scenario: constantRateScenario(20, 1), target: server.url, outDir: false, progress: false, objectives: { p99Ms: 5_000 } });
      expect(result.checks.find((c) => c.name.startsWith('objective: ping'))?.status).toBe('passed');
      expect(result.passed).toBe(true);
    });
  });
});
