import type { Logger } from 'pino';
import { createPollingWorker } from '../../../platform/polling-worker.js';
import type { Worker } from '../../../platform/service.js';
import type { IdempotencyStore } from './idempotency-store.js';

export interface PruneWorkerDeps {
  store: IdempotencyStore;
  logger: Logger;
  /** how long a completed key is replayable; Stripe keeps keys for 24 hours */
  retentionMs?: number;
  intervalMs?: number;
}

/** Deletes completed idempotency keys past their retention, so the table stays the size of a day's traffic. */
export function createIdempotencyPruneWorker({ store, logger, retentionMs = 24 * 3_600_000, intervalMs = 10 * 60_000 }: PruneWorkerDeps): Worker {
  return createPollingWorker({
    name: 'orders-idempotency-prune',
    pass: () => store.deleteCompletedBefore(new Date(Date.now() - retentionMs)),
    logger,
    idleMs: intervalMs,
    onPassDone: (deleted) => {
      if (deleted > 0) logger.info({ deleted }, 'pruned expired idempotency keys');
    },
  });
}
