import type { Criticality } from './criticality.js';
import { createLatencyLevels, shedAtLevel, type LatencyLevelOptions } from './latency-levels.js';

/** What the controller reads each tick; event-loop-signals.ts measures them, tests make them up. */
export interface PressureSignals {
  /** mean event-loop delay since the last sample, ms */
  eventLoopDelayMs: number;
  /** share of the last sample's wall time the loop was busy, 0..1 */
  eventLoopUtilization: number;
}

export interface AdmissionOptions {
  /** the event-loop delay at which the lowest class is shed; 2× sheds normal, 4× sheds high */
  eventLoopDelayMs: number;
  concurrency: { initial: number; min: number; max: number };
  /** the latency signal (latency-levels.ts): absent, only the event loop and the in-flight limit shed */
  latency?: LatencyLevelOptions;
  /** ms, monotonic: the latency signal times each admitted request with it (tests pass a fake clock) */
  now?: () => number;
  /** told the state after each sample (the degradation switches follow it: degradation.ts) */
  onSample?: (state: AdmissionState) => void;
}

export type Admission =
  | { admitted: true; release: () => void }
  | { admitted: false; reason: 'concurrency' | 'event-loop' | 'latency'; retryAfterSeconds: number };

export interface AdmissionState {
  /** the adaptive in-flight limit */
  limit: number;
  inFlight: number;
  /** the smoothed event-loop delay, ms */
  delayMs: number;
  /** classes currently shed because of the event-loop delay, lowest first */
  shedByDelay: Criticality[];
  /** classes currently shed because requests wait too long in the process (latency-levels.ts), lowest first */
  shedByLatency: Criticality[];
  /** the classes whose fastest answer in the last latency interval was over their target */
  lateClasses: Criticality[];
}

export interface AdmissionController {
  /** O(1), no I/O: called before anything else a request does */
  admit(criticality: Criticality): Admission;
  /** one sample of the signals: adapts the limit, the delay levels and the latency level (a timer calls it; tests call it by hand) */
  tick(signals: PressureSignals): void;
  state(): AdmissionState;
}

/**
 * How much of the in-flight limit each class may fill: lower classes meet the limit first. Critical may go half
 * again past it: the limit shrinks with the load the lower classes bring, and checkout refused at a limit set by
 * browsing was 10 % of checkouts at 3× capacity (bench:overload 2026-11-30); its own number stays bounded.
 */
export const CONCURRENCY_SHARE: Record<Criticality, number> = { low: 0.5, normal: 0.75, high: 0.9, critical: 1.5 };
/** multiples of the delay threshold at which each class is shed; critical is never shed for delay alone */
const DELAY_FACTOR: Record<Criticality, number> = { low: 1, normal: 2, high: 4, critical: Number.POSITIVE_INFINITY };
/** lower classes are told to wait longer, so their retries do not arrive with the next burst */
const RETRY_AFTER_SECONDS: Record<Criticality, number> = { low: 5, normal: 2, high: 1, critical: 1 };
/**
 * A loop this busy has no spare capacity: the limit is not raised, whatever the demand. It is no reason to shed
 * on its own: an embedded database keeps the loop busy at moderate load while requests are still answered fast.
 */
const SATURATED_UTILIZATION = 0.98;
const DECREASE = 0.9;
const INCREASE = 0.1;
const SMOOTHING = 0.5;

/**
 * Per-process admission: a request is admitted when its class is not shed for latency (latency-levels.ts:
 * requests of some class wait too long in the process) nor for event-loop delay, and the requests in flight
 * are below its share of an adaptive limit.
 *
 * The limit follows AIMD on the signal that predicts overload on a single-threaded server: when the
 * (smoothed) event-loop delay passes the threshold, the limit drops to 90% of the most requests that were
 * in flight during the sample (so it bites at once even from a high start); when the loop has room (delay
 * fine, utilisation below saturation) and demand reached the limit, it grows by 10%. Lower classes fill less of the limit,
 * so as it shrinks they are refused first and checkout keeps the room.
 */
export function createAdmissionController(options: AdmissionOptions): AdmissionController {
  const { min, max } = options.concurrency;
  let limit = options.concurrency.initial;
  let inFlight = 0;
  let peakInFlight = 0;
  let delayMs = 0;
  let saturated = false;
  const now = options.now ?? (() => performance.now());
  const latency = options.latency ? createLatencyLevels(options.latency, now()) : undefined;
  // the classes shed for latency, as a lookup: admit() stays a few comparisons
  let shedForLatency = new Set<Criticality>();

  const shedForDelay = (c: Criticality) => delayMs >= options.eventLoopDelayMs * DELAY_FACTOR[c];

  return {
    admit(criticality) {
      if (shedForLatency.has(criticality)) return { admitted: false, reason: 'latency', retryAfterSeconds: RETRY_AFTER_SECONDS[criticality] };
      if (shedForDelay(criticality)) return { admitted: false, reason: 'event-loop', retryAfterSeconds: RETRY_AFTER_SECONDS[criticality] };
      if (inFlight >= Math.max(1, Math.floor(limit * CONCURRENCY_SHARE[criticality]))) {
        return { admitted: false, reason: 'concurrency', retryAfterSeconds: RETRY_AFTER_SECONDS[criticality] };
      }
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
      let released = false;
      const admittedAt = latency ? now() : 0;
      return {
        admitted: true,
        release: () => {
          // a request may end twice (answered, then its connection closes): count it once
          if (released) return;
          released = true;
          inFlight -= 1;
          latency?.observe(criticality, now() - admittedAt);
        },
      };
    },
    tick({ eventLoopDelayMs, eventLoopUtilization }) {
      // smoothed, so one long GC pause does not shed a whole class; two bad samples in a row do
      delayMs = SMOOTHING * delayMs + (1 - SMOOTHING) * eventLoopDelayMs;
      saturated = eventLoopUtilization >= SATURATED_UTILIZATION;
      if (delayMs >= options.eventLoopDelayMs) limit = Math.max(min, Math.floor(Math.min(limit, peakInFlight) * DECREASE));
      else if (!saturated && peakInFlight >= limit * CONCURRENCY_SHARE.high) limit = Math.min(max, Math.ceil(limit * (1 + INCREASE)));
      const peak = peakInFlight;
      peakInFlight = inFlight;
      if (latency) {
        latency.decide(now(), peak);
        shedForLatency = new Set(shedAtLevel(latency.level()));
      }
      options.onSample?.(state());
    },
    state,
  };
  function state(): AdmissionState {
    return {
      limit,
      inFlight,
      delayMs,
      shedByDelay: (['low', 'normal', 'high', 'critical'] as const).filter(shedForDelay),
      shedByLatency: [...shedForLatency],
      lateClasses: latency?.late() ?? [],
    };
  }
}
