import { createPollingWorker, type PollingWorkerOptions } from '../polling-worker.js';
import type { Worker } from '../service.js';
import type { PostgresListener } from './postgres-listener.js';

/**
 * How often notifications may wake a worker at most: every process hears every notification, so a stream of them
 * (an admin revoking accounts in bulk) would otherwise run pass after pass in every process, as fast as the pass's
 * dependency answers (a copy of the revocation list called its owner 5,559 times in 300 ms in its test)
 */
export const NOTIFIED_POKE_INTERVAL_MS = 50;

export interface NotifiedPollingWorkerOptions extends PollingWorkerOptions {
  /** a listener whose notifications (and reconnections) wake the worker; made at start, closed at stop. Absent: polling alone */
  listen?: ((onNotify: () => void) => PostgresListener) | undefined;
}

/**
 * A polling worker that a PostgreSQL notification also wakes: the notification makes every listening process look at
 * once, and the poll stays, for notifications lost while a listener reconnects and for processes that cannot listen
 * (PGlite, a transaction-pooling PgBouncer without DATABASE_LISTEN_URL).
 */
export function createNotifiedPollingWorker({ listen, minPokeIntervalMs = NOTIFIED_POKE_INTERVAL_MS, ...options }: NotifiedPollingWorkerOptions): { worker: Worker; listening(): boolean } {
  const poller = createPollingWorker({ ...options, minPokeIntervalMs });
  let listener: PostgresListener | undefined;
  return {
    worker: {
      name: poller.name,
      start() {
        poller.start();
        listener ??= listen?.(() => poller.poke());
      },
      async stop() {
        const closing = listener?.close();
        listener = undefined;
        await Promise.all([closing, poller.stop()]);
      },
    },
    listening: () => listener?.listening() ?? false,
  };
}
