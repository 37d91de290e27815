import type { CheckResult } from './scenario.js';
import type { StepRow } from './step-table.js';

/** service-level objectives every step of a run is held to; docs/load-testing.md lists the defaults */
export interface Objectives {
  /** the slowest 1 % of a step's answers may take at most this long */
  p99Ms: number;
  /** unexpected answers (5xx, timeouts, statuses the flow did not expect) as a share of the step's answers */
  errorRate: number;
}

export const DEFAULT_OBJECTIVES: Objectives = { p99Ms: 2_000, errorRate: 0.01 };

const pct = (r: number) => `${(r * 100).toFixed(r >= 0.1 ? 0 : r >= 0.01 ? 1 : 2)} %`;

/**
 * One check per step that saw traffic, judged like the correctness checks: a miss fails the run (exit 1),
 * so a saturated machine cannot end under a green badge. The `total` row is not judged: every step is.
 */
export function objectiveChecks(steps: StepRow[], objectives: Objectives): CheckResult[] {
  return steps
    .filter((s) => s.step !== 'total' && s.count > 0)
    .map((s) => {
      const errorRate = s.errors / s.count;
      const misses = [
        ...(s.p99 > objectives.p99Ms ? [`p99 ${Math.round(s.p99)} ms > ${objectives.p99Ms} ms`] : []),
        ...(errorRate > objectives.errorRate ? [`errors ${pct(errorRate)} > ${pct(objectives.errorRate)}`] : []),
      ];
      return {
        name: `objective: ${s.step} (p99 ≤ ${objectives.p99Ms} ms, errors ≤ ${pct(objectives.errorRate)})`,
        status: misses.length > 0 ? 'failed' : 'passed',
        detail: misses.length > 0 ? `missed: ${misses.join('; ')} over ${s.count} answers` : `p99 ${Math.round(s.p99)} ms, errors ${pct(errorRate)} over ${s.count} answers`,
      } satisfies CheckResult;
    });
}
