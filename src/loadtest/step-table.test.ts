import { describe, expect, it } from 'vitest';
import { createHistogram, recordMs, summarize } from './latency-histogram.js';
import { RunRecorder } from './run-recorder.js';
import { buildStepRows, formatErrors, formatStepTable } from './step-table.js';

describe('latency histogram', () => {
  it('when 1..1000 ms are recorded once each, then percentiles are within HDR precision', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i);
    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -1);
    expect(s.p95).toBeCloseTo(950, -1);
    expect(s.p99).toBeCloseTo(990, -1);
    expect(s.max).toBeCloseTo(1000, -1);
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(0.002);
  });

  it('when sub-millisecond latencies are recorded, then they keep microsecond resolution', () => {
    const h = createHistogram();
    recordMs(h, 0.25);
    expect(summarize(h).p50).toBe(0.25);
  });

  it('when nothing was recorded, then the summary is zeros rather than NaN', () => {
    expect(summarize(createHistogram())).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('step table', () => {
  function recorded() {
    const r = new RunRecorder(['search', 'product', 'checkout']);
    for (let i = 1; i <= 100; i++) r.recordResponse('product', i, '200', true);
    for (let i = 1; i <= 10; i++) r.recordResponse('search', 100 + i, i <= 2 ? '503' : '200', i > 2);
    r.recordResponse('search', 5000, 'ERR_TIMEOUT', false);
    return r;
  }

  it('when steps have answers, then each row has req/s over the run, errors by status, and 429/503 as refusals, not errors', () => {
    const rows = buildStepRows(recorded().steps.values(), 10);
    expect(rows.map((r) => r.step)).toEqual(['search', 'product', 'total']);
    const product = rows[1]!;
    expect(product).toMatchObject({ count: 100, rps: 10, errors: 0, errorsByStatus: {}, refused: 0, statuses: { '200': 100 } });
    expect(product.p50).toBeCloseTo(50, 0);
    expect(product.p99).toBeCloseTo(99, 0);
    const search = rows[0]!;
    expect(search).toMatchObject({ count: 11, rps: 1.1, errors: 1, errorsByStatus: { ERR_TIMEOUT: 1 }, refused: 2, refusedByStatus: { '503': 2 } });
    expect(search.max).toBeCloseTo(5000, -1);
  });

  it('when some answers are refusals, then their latency is summarised apart from the served answers', () => {
    const rows = buildStepRows(recorded().steps.values(), 10);
    const search = rows[0]!;
    // refused: the 503s at 101 and 102 ms; served: 103..110 ms and the 5 s timeout
    expect(search.refusedP50).toBeCloseTo(101, 0);
    expect(search.refusedP99).toBeCloseTo(102, 0);
    expect(search.servedP50).toBeGreaterThanOrEqual(103);
    expect(search.servedP99).toBeCloseTo(5000, -1);
    expect(rows[1]).toMatchObject({ refusedP50: 0, refusedP99: 0 });
    expect(rows.at(-1)!.refusedP99).toBeCloseTo(102, 0);
  });

  it('when summing up, then the total row merges every step', () => {
    const total = buildStepRows(recorded().steps.values(), 10).at(-1)!;
    expect(total).toMatchObject({ step: 'total', count: 111, rps: 11.1, errors: 1, refused: 2, statuses: { '200': 108, '503': 2, ERR_TIMEOUT: 1 } });
    expect(total.max).toBeCloseTo(5000, -1);
  });

  it('when printed, then columns line up and refusals and errors read as status×count', () => {
    const text = formatStepTable(buildStepRows(recorded().steps.values(), 10));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^step\s+requests\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms\s+max ms\s+refused\s+errors$/);
    expect(lines.find((l) => l.startsWith('search'))).toMatch(/503×2\s+ERR_TIMEOUT×1$/);
    // numbers are right-aligned under their header
    const end = lines[0]!.indexOf('requests') + 'requests'.length;
    for (const row of lines.slice(2)) expect(row.slice(end - 1, end + 1)).toMatch(/^\d $/);
    expect(formatErrors({})).toBe('-');
  });

  it('when a window closes, then it summarises that second only and starts afresh', () => {
    const r = new RunRecorder(['a']);
    r.recordArrival(true, 2);
    r.recordArrival(true, 250);
    r.recordArrival(false, 0);
    r.recordResponse('a', 10, '200', true);
    r.recordResponse('a', 30, '429', false);
    r.recordResponse('a', 20, '404', false);
    r.recordResponse('a', 20, '503', false);
    const first = r.closeWindow(1, 3, 1);
    expect(first).toMatchObject({ t: 1, seconds: 1, arrivals: 2, dropped: 1, late: 1, responses: 4, rps: 4, errors: 1, errors4xx: 1, errors5xx: 0, limited: 1, shed: 1, targetRate: 3, inFlight: 1 });
    expect(first.p99).toBeCloseTo(30, 0);
    const second = r.closeWindow(2.5, 3, 0);
    expect(second).toMatchObject({ seconds: 1.5, responses: 0, errors: 0, p99: 0 });
    expect(r.arrivalTotals()).toMatchObject({ scheduled: 3, started: 2, dropped: 1, late: 1 });
  });
});
