import { CRITICALITIES, type Criticality } from './criticality.js';

export interface LatencyLevelOptions {
  /**
   * per class: a standing queue is declared when even the fastest request of the class answered in an
   * interval took longer than this (ms, from admission to the end of its answer); critical's target counts as a
   * signal too, but critical itself is never shed for latency
   */
  targetMs: Record<Criticality, number>;
  /** how long the minimum is taken over (ms): one step up per late interval */
  intervalMs: number;
  /** with no class late for this long, the highest class shed comes back (ms); one class per period */
  recoveryMs: number;
}

/** the classes that latency may shed, lowest first: critical keeps its room whatever the latency */
const SHEDDABLE: readonly Criticality[] = CRITICALITIES.slice(0, 3);
/**
 * Fewer requests than this in flight at once during an interval is no queue, however slow they were: one cold
 * search on a quiet shop must not shed every search for the next second.
 */
const MIN_QUEUE = 4;

export interface LatencyLevels {
  /** one admitted request's time in the process, from admission to its answer (ms) */
  observe(criticality: Criticality, latencyMs: number): void;
  /**
   * at each sample: ends the interval when it is over and moves the level (`now` in ms, the controller's clock;
   * `peakInFlight`, the most requests in flight at once since the previous sample)
   */
  decide(now: number, peakInFlight: number): void;
  /** how many classes, from the lowest, are shed now (0 … 3) */
  level(): number;
  /** the classes whose fastest answer in the last finished interval was over their target */
  late(): Criticality[];
}

/**
 * CoDel's test applied per class of route: the time a request spends in the process is its wait for the
 * event loop, the database pool and the other shared awaits plus its own work, and the *minimum* of a class
 * over an interval is only above target when every request of that class waited: a standing queue, not a
 * burst and not one slow query. While some class is late, one more class is shed from the lowest up; the
 * n-th step waits n intervals after the previous one, so each step has time to drain the queue before the next
 * is taken (shedding carts and sign-ins, which lead to checkouts, takes 1.5 s of lateness after normal); once no class
 * has been late for `recoveryMs`, the highest shed class comes back, one per period, so a drop in load is
 * followed within (classes shed × recoveryMs) and a still-overloaded process finds its level again.
 *
 * It watches the classes it does not shed as well (checkout's wait is the one that matters): that is what
 * makes browsing, served from cache in microseconds, shed when the awaits of checkout and carts queue.
 */
export function createLatencyLevels(options: LatencyLevelOptions, startedAt: number): LatencyLevels {
  const min = new Map<Criticality, number>();
  let lateNow: Criticality[] = [];
  let shed = 0;
  let intervalStart = startedAt;
  let calmSince = startedAt;
  let lastStepUp = Number.NEGATIVE_INFINITY;
  let intervalPeak = 0;

  return {
    observe(criticality, latencyMs) {
      const seen = min.get(criticality);
      if (seen === undefined || latencyMs < seen) min.set(criticality, latencyMs);
    },
    decide(now, peakInFlight) {
      intervalPeak = Math.max(intervalPeak, peakInFlight);
      if (now - intervalStart < options.intervalMs) return;
      const queued = intervalPeak >= MIN_QUEUE;
      lateNow = queued
        ? CRITICALITIES.filter((c) => {
            const seen = min.get(c);
            return seen !== undefined && seen > options.targetMs[c];
          })
        : [];
      min.clear();
      intervalPeak = 0;
      intervalStart = now;
      if (lateNow.length > 0) {
        calmSince = now;
        if (shed < SHEDDABLE.length && now - lastStepUp >= options.intervalMs * (shed + 1)) {
          shed += 1;
          lastStepUp = now;
        }
        return;
      }
      // an interval without answers is calm too: when the load is gone, shedding must not stick
      if (shed > 0 && now - calmSince >= options.recoveryMs) {
        shed -= 1;
        calmSince = now;
      }
    },
    level: () => shed,
    late: () => lateNow,
  };
}

/** the classes a level sheds, lowest first */
export const shedAtLevel = (level: number): Criticality[] => SHEDDABLE.slice(0, level) as Criticality[];
