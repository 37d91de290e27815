import { createHistogram, recordMs, summarize, type Histogram, type LatencySummary } from './latency-histogram.js';

/** status code as a string ('200', '429') or a transport failure ('ERR_TIMEOUT', 'ECONNREFUSED') */
export type StatusKey = string;

export interface StepStats {
  step: string;
  histogram: Histogram;
  /** every answer by status, expected or not */
  statuses: Map<StatusKey, number>;
  /** the answers the flow did not expect, by status (429 and 503 excepted: see `refused`) */
  errors: Map<StatusKey, number>;
  /**
   * 429 (rate limited) and 503 (shed, or a dependency down) the flow did not expect: the shop protecting
   * itself as designed, with Retry-After, so their own outcome and not errors
   */
  refused: Map<StatusKey, number>;
  /** latency of the refusals alone: a shed answer should cost milliseconds even when served answers take seconds */
  refusedHistogram: Histogram;
  /** latency of every other answer (expected, or an error) */
  servedHistogram: Histogram;
}

/** one second of the run, as charted in the report */
export interface WindowSample {
  /** seconds since the start of the load, end of this window */
  t: number;
  /** window length: about 1 s, longer when the generator's event loop stalled */
  seconds: number;
  targetRate: number;
  /** responses per second in this window */
  rps: number;
  arrivals: number;
  dropped: number;
  late: number;
  responses: number;
  errors: number;
  errors4xx: number;
  errors5xx: number;
  errorsNetwork: number;
  /** 429 answers the flow did not expect (rate limits) */
  limited: number;
  /** 503 answers the flow did not expect (load shedding, a dependency down) */
  shed: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  inFlight: number;
}

export interface ArrivalTotals {
  scheduled: number;
  started: number;
  /** due while the in-flight cap was reached: never started */
  dropped: number;
  /** started later than the lateness threshold after their due time */
  late: number;
  startLag: LatencySummary;
}

export function errorClass(key: StatusKey): 'errors4xx' | 'errors5xx' | 'errorsNetwork' {
  const code = Number(key);
  if (!Number.isInteger(code) || code === 0) return 'errorsNetwork';
  return code >= 500 ? 'errors5xx' : 'errors4xx';
}

/** a refusal with Retry-After rather than a failure: 429 from a limit, 503 from shedding */
export const isRefusal = (key: StatusKey) => key === '429' || key === '503';

const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/**
 * Collects what the run measured: per step (whole run) and per one-second window (the time series).
 * A window's histogram is summarised when the window closes and then reused, so a long run keeps a
 * fixed footprint.
 */
export class RunRecorder {
  readonly steps = new Map<string, StepStats>();
  readonly windows: WindowSample[] = [];
  private readonly window = createHistogram();
  private readonly startLag = createHistogram();
  private current = RunRecorder.emptyCounters();
  private lastWindowEnd = 0;
  private readonly arrivals = { scheduled: 0, started: 0, dropped: 0, late: 0 };

  constructor(declaredSteps: readonly string[] = [], private readonly lateThresholdMs = 100) {
    for (const step of declaredSteps) this.stepStats(step);
  }

  private static emptyCounters() {
    return { arrivals: 0, dropped: 0, late: 0, responses: 0, errors: 0, errors4xx: 0, errors5xx: 0, errorsNetwork: 0, limited: 0, shed: 0 };
  }

  private stepStats(step: string): StepStats {
    let s = this.steps.get(step);
    if (!s) {
      s = { step, histogram: createHistogram(), statuses: new Map(), errors: new Map(), refused: new Map(), refusedHistogram: createHistogram(), servedHistogram: createHistogram() };
      this.steps.set(step, s);
    }
    return s;
  }

  recordResponse(step: string, latencyMs: number, status: StatusKey, expected: boolean): void {
    const s = this.stepStats(step);
    recordMs(s.histogram, latencyMs);
    recordMs(this.window, latencyMs);
    bump(s.statuses, status);
    this.current.responses += 1;
    const refusal = !expected && isRefusal(status);
    recordMs(refusal ? s.refusedHistogram : s.servedHistogram, latencyMs);
    if (refusal) {
      bump(s.refused, status);
      this.current[status === '429' ? 'limited' : 'shed'] += 1;
    } else if (!expected) {
      bump(s.errors, status);
      this.current.errors += 1;
      this.current[errorClass(status)] += 1;
    }
  }

  /** an arrival came due; `lagMs` is how long after its due time it started (ignored when dropped) */
  recordArrival(started: boolean, lagMs: number): void {
    this.arrivals.scheduled += 1;
    if (!started) {
      this.arrivals.dropped += 1;
      this.current.dropped += 1;
      return;
    }
    this.arrivals.started += 1;
    this.current.arrivals += 1;
    recordMs(this.startLag, Math.max(0, lagMs));
    if (lagMs > this.lateThresholdMs) {
      this.arrivals.late += 1;
      this.current.late += 1;
    }
  }

  closeWindow(t: number, targetRate: number, inFlight: number): WindowSample {
    const lat = summarize(this.window);
    const seconds = Math.max(0.001, t - this.lastWindowEnd);
    this.lastWindowEnd = t;
    // the last window of a run is a sliver: dividing its few answers by a few ms would chart a false burst
    const rps = Math.round((this.current.responses / Math.max(seconds, 1)) * 10) / 10;
    const sample: WindowSample = { t, seconds: Math.round(seconds * 1000) / 1000, targetRate, rps, ...this.current, p50: lat.p50, p95: lat.p95, p99: lat.p99, max: lat.max, inFlight };
    this.windows.push(sample);
    this.window.reset();
    this.current = RunRecorder.emptyCounters();
    return sample;
  }

  arrivalTotals(): ArrivalTotals {
    return { ...this.arrivals, startLag: summarize(this.startLag) };
  }
}
