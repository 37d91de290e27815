import type { LoadTestResult } from './run-load-test.js';
import { formatStepTable, formatTable } from './step-table.js';

const MARK = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', warning: 'WARN' } as const;

/** what the terminal shows at the end of a run */
export function formatResult(result: LoadTestResult): string {
  const a = result.arrivals;
  const lines = [
    '',
    `Scenario ${result.scenario} against ${result.target} — ${result.durationSec} s, run ${result.runId}`,
    `Arrivals: ${a.started} started of ${a.scheduled} due, ${a.dropped} dropped, ${a.late} late (start lag p99 ${a.startLag.p99} ms)`,
    '',
    formatStepTable(result.steps),
    '',
    'Checks:',
    formatTable(
      ['', 'check', 'detail'],
      result.checks.map((c) => [MARK[c.status], c.name, c.detail]),
      new Set(),
    ),
    '',
  ];
  if (result.files) lines.push(`Report: ${result.files.html}`, `Data:   ${result.files.json}`, '');
  // objectives (p99, error rate per step) fail a run like a correctness check does
  const failed = result.checks.filter((c) => c.status === 'failed');
  lines.push(failed.length === 0 ? 'All checks passed (correctness and objectives).' : `${failed.length} check(s) FAILED: ${failed.map((c) => c.name).join('; ')}.`);
  return lines.join('\n');
}
