import type { Logger } from 'pino';
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const pass = async () => {
    try {
      const deleted = await store.deleteCompletedBefore(new Date(Date.now() - retentionMs));
      if (deleted > 0) logger.info({ deleted }, 'pruned expired idempotency keys');
    } catch (err) {
      logger.warn({ err }, 'idempotency key pruning failed; will retry');
    }
  };

  return {
    name: 'orders-idempotency-prune',
    start() {
      if (timer) return;
      timer = setInterval(() => {
        running ??= pass().finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
