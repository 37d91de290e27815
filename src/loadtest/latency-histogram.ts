import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** percentiles in milliseconds, rounded to 0.01 ms */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

// microsecond resolution up to 10 minutes, 3 significant digits (0.1 % error)
const HIGHEST_US = 600_000_000;

export function createHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: true });
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

const ms = (us: number) => Math.round(us / 10) / 100;

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count: h.totalCount,
    mean: ms(h.mean),
    // HDR answers a percentile with the top of its bucket, which can exceed the exact max by < 0.1 %
    p50: ms(Math.min(h.getValueAtPercentile(50), h.maxValue)),
    p95: ms(Math.min(h.getValueAtPercentile(95), h.maxValue)),
    p99: ms(Math.min(h.getValueAtPercentile(99), h.maxValue)),
    max: ms(h.maxValue),
  };
}
