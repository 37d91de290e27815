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

export interface LatencyLevels {
  /** one admitted request's time in the process, from admission to its answer (ms) */
  observe(criticality: Criticality, latencyMs: number): void;
  /** at each sample: ends the interval when it is over and moves the level (`now` in ms, the controller's clock) */
  decide(now: number): void;
  /** how many classes, from the lowest, are shed now (0 … 3) */
  level(): number;
  /** the classes whose fastest answer in the last finished interval was over their target */
  late(): Criticality[];
}

/**
 * CoDel's test applied per class of route: the time a request spends in the process is its wait for the
 * event loop, the database pool and the other shared awaits plus its own work, and the *minimum* of a class
 * over an interval is only above target when every request of that class waited: a standing queue, not a
 * burst and not one slow query. While some class is late, one more class is shed from the lowest up, at
 * most once per interval, so each step has some time to drain the queue before the next is taken; once no class
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

  return {
    observe(criticality, latencyMs) {
      const seen = min.get(criticality);
      if (seen === undefined || latencyMs < seen) min.set(criticality, latencyMs);
    },
    decide(now) {
      if (now - intervalStart < options.intervalMs) return;
      lateNow = CRITICALITIES.filter((c) => {
        const seen = min.get(c);
        return seen !== undefined && seen > options.targetMs[c];
      });
      min.clear();
      intervalStart = now;
      if (lateNow.length > 0) {
        calmSince = now;
        if (shed < SHEDDABLE.length) shed += 1;
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
