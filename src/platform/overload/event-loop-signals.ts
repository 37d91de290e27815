import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { PressureSignals } from './admission-controller.js';

export interface EventLoopSampler {
  /** the signals since the previous sample */
  sample(): PressureSignals;
  stop(): void;
}

/**
 * The two signals @fastify/under-pressure watches (event-loop delay and utilisation), measured the same way:
 * a delay histogram at 10 ms resolution, reset at each sample, and the loop's utilisation between samples.
 */
export function createEventLoopSampler(): EventLoopSampler {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    sample() {
      // the histogram holds nanoseconds; its mean includes the resolution itself, so that is taken off
      const mean = Number.isFinite(histogram.mean) ? histogram.mean / 1e6 - 10 : 0;
      histogram.reset();
      const now = performance.eventLoopUtilization();
      const utilization = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      return { eventLoopDelayMs: Math.max(0, mean), eventLoopUtilization: utilization };
    },
    stop: () => histogram.disable(),
  };
}
