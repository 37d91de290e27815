import type { Logger } from 'pino';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { StockStore } from './storage/stock-store.js';

export interface ExpireReservationsDeps {
  store: StockStore;
  clock: () => Date;
  onEventsWritten: () => void;
  batchSize?: number;
}

/**
 * Releases every hold whose expiry has passed, a batch per transaction, and answers how many.
 * Batches are claimed with `skip locked`, so several workers (or processes) share the work.
 */
export const makeExpireReservations =
  ({ store, clock, onEventsWritten, batchSize = 100 }: ExpireReservationsDeps) =>
  async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const expired = await store.expireDue(clock(), batchSize);
      total += expired;
      if (expired > 0) onEventsWritten();
      if (expired < batchSize) return total;
    }
  };

export interface ExpiryWorkerDeps {
  expire: () => Promise<number>;
  logger: Logger;
  intervalMs?: number;
}

/** Runs an expiry pass about every second; a failed pass is logged and retried on the next tick. */
export function createReservationExpiryWorker({ expire, logger, intervalMs = 1_000 }: ExpiryWorkerDeps): Worker {
  return createPollingWorker({
    name: 'inventory-reservation-expiry',
    pass: expire,
    logger,
    idleMs: intervalMs,
    onPassDone: (expired) => {
      if (expired > 0) logger.info({ expired }, 'released expired reservations');
    },
  });
}
