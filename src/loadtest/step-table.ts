import { createHistogram, summarize } from './latency-histogram.js';
import type { StepStats } from './run-recorder.js';

export interface StepRow {
  step: string;
  count: number;
  /** answers per second over the measured duration */
  rps: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** unexpected answers by status, e.g. { '503': 4, ERR_TIMEOUT: 1 } */
  errorsByStatus: Record<string, number>;
  statuses: Record<string, number>;
  /** unexpected 429/503: refused with Retry-After (rate limited, shed), not errors */
  refused: number;
  refusedByStatus: Record<string, number>;
  /** p50/p99 of the answers that were not refusals, and of the refusals (429/503) alone; 0 when none */
  servedP50: number;
  servedP99: number;
  refusedP50: number;
  refusedP99: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const sortedRecord = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));

/** one row per step that saw traffic, in declaration order, then a `total` row over all steps */
export function buildStepRows(steps: Iterable<StepStats>, durationSec: number): StepRow[] {
  const rows: StepRow[] = [];
  const all = createHistogram();
  const allStatuses = new Map<string, number>();
  const allErrors = new Map<string, number>();
  const allRefused = new Map<string, number>();
  const allServed = createHistogram();
  const allRefusedLatency = createHistogram();
  for (const s of steps) {
    if (s.histogram.totalCount === 0) continue;
    all.add(s.histogram);
    allServed.add(s.servedHistogram);
    allRefusedLatency.add(s.refusedHistogram);
    for (const [k, v] of s.statuses) allStatuses.set(k, (allStatuses.get(k) ?? 0) + v);
    for (const [k, v] of s.errors) allErrors.set(k, (allErrors.get(k) ?? 0) + v);
    for (const [k, v] of s.refused) allRefused.set(k, (allRefused.get(k) ?? 0) + v);
    rows.push(row(s.step, s.histogram, s.statuses, s.errors, s.refused, durationSec, s.servedHistogram, s.refusedHistogram));
  }
  rows.push(row('total', all, allStatuses, allErrors, allRefused, durationSec, allServed, allRefusedLatency));
  return rows;
}

function row(step: string, h: StepStats['histogram'], statuses: Map<string, number>, errors: Map<string, number>, refused: Map<string, number>, durationSec: number, servedH: StepStats['histogram'], refusedH: StepStats['histogram']): StepRow {
  const lat = summarize(h);
  const served = summarize(servedH);
  const refusedLat = summarize(refusedH);
  return {
    step,
    count: lat.count,
    rps: durationSec > 0 ? round1(lat.count / durationSec) : 0,
    mean: lat.mean,
    p50: lat.p50,
    p95: lat.p95,
    p99: lat.p99,
    max: lat.max,
    errors: sum(errors),
    errorsByStatus: sortedRecord(errors),
    statuses: sortedRecord(statuses),
    refused: sum(refused),
    refusedByStatus: sortedRecord(refused),
    servedP50: served.p50,
    servedP99: served.p99,
    refusedP50: refusedLat.p50,
    refusedP99: refusedLat.p99,
  };
}

export function formatErrors(errorsByStatus: Record<string, number>): string {
  const parts = Object.entries(errorsByStatus).map(([status, n]) => `${status}×${n}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}

/** a plain-text table, columns padded to their widest cell */
export function formatTable(header: readonly string[], body: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatStepTable(rows: readonly StepRow[]): string {
  const ms = (n: number) => n.toFixed(n >= 100 ? 0 : 1);
  return formatTable(
    ['step', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'refused', 'errors'],
    rows.map((r) => [r.step, String(r.count), r.rps.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), formatErrors(r.refusedByStatus), formatErrors(r.errorsByStatus)]),
    new Set([1, 2, 3, 4, 5, 6]),
  );
}
