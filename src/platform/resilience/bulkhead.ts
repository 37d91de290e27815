import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import { OverloadErrors } from '../http/load-shedding.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface Bulkhead {
  /**
   * Runs `work` when one of the `limit` slots is free, waits in a queue of `queue` otherwise, and past that
   * throws 503 `OVERLOADED` (Retry-After) at once without running it.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export interface BulkheadOptions {
  /** as the metrics label it (`catalog-list`) */
  name: string;
  limit: number;
  queue: number;
  retryAfterSeconds?: number;
  /** `floodgate_bulkhead_in_use{bulkhead}`, `floodgate_bulkhead_rejected_total{bulkhead}` */
  metrics?: Metrics;
}

/**
 * A concurrency cap on one kind of work (cockatiel's bulkhead): an expensive, optional read cannot take every
 * database connection the checkout needs. The load shedder refuses requests by the process's overall state;
 * a bulkhead refuses one kind of work by its own count, however calm the rest of the process is.
 */
export function createBulkhead({ name, limit, queue, retryAfterSeconds = 1, metrics }: BulkheadOptions): Bulkhead {
  if (!(Number.isInteger(limit) && limit >= 1) || !(Number.isInteger(queue) && queue >= 0)) throw new Error(`bulkhead ${name}: limit must be an integer ≥ 1 and queue an integer ≥ 0`);
  const policy = bulkhead(limit, queue);
  const inUse = metrics?.gauge('floodgate_bulkhead_in_use', 'Work running inside each bulkhead (its limit is its capacity)', ['bulkhead']);
  const rejected = metrics?.counter('floodgate_bulkhead_rejected_total', 'Work refused with 503 OVERLOADED because its bulkhead and queue were full', ['bulkhead']);
  inUse?.set({ bulkhead: name }, 0);
  return {
    async run(work) {
      try {
        return await policy.execute(async () => {
          inUse?.inc({ bulkhead: name });
          try {
            return await work();
          } finally {
            inUse?.dec({ bulkhead: name });
          }
        });
      } catch (err) {
        if (err instanceof BulkheadRejectedError) {
          rejected?.inc({ bulkhead: name });
          throw OverloadErrors.overloaded(retryAfterSeconds);
        }
        throw err;
      }
    },
  };
}
