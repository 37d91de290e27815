import type { Worker } from '../platform/service.js';

/**
 * The background jobs a process may run, by group: `floodgate worker <group…>` runs them on their own,
 * and FLOODGATE_WORKERS says which of them an API process keeps (all by default, none in the production
 * topology). Every job is safe to run in several processes at once: each claims its rows with a lease.
 */
export const WORKER_GROUPS = {
  /** every service's outbox → the event bus */
  'outbox-relays': (w: Worker) => w.name.endsWith('-outbox-relay'),
  /** charging placed orders at the payment provider */
  payments: (w: Worker) => w.name === 'payments-charge-worker',
  /** releasing stock of reservations that expired */
  'reservation-expiry': (w: Worker) => w.name === 'inventory-reservation-expiry',
  /** abandoned checkouts, stale idempotency keys */
  sweepers: (w: Worker) => w.name === 'orders-abandoned-checkout-sweep' || w.name === 'orders-idempotency-prune',
} as const;

export type WorkerGroup = keyof typeof WORKER_GROUPS;
export const WORKER_GROUP_NAMES = Object.keys(WORKER_GROUPS) as WorkerGroup[];

/**
 * Loops that belong to the process that owns their state, whatever it hosts: retries queued by its own
 * requests, its copy of the revocation list, closing its PSP connection pool, watching its data dir,
 * and the flash-sale loops, which read and give back units in the counter store (in memory unless
 * REDIS_URL is set, so only the serving process sees it; admission is paced per scope, so every process
 * may tick). With Redis they could move to a worker process too: a later step, once that is tested.
 */
const PROCESS_LOCAL = new Set([
  'orders-compensations', 'revocation-list-sync', 'payment-provider', 'data-dir-guard',
  // the carts' write-back: in memory it must run where the carts are; with Redis every carts process flushes
  'carts-write-back',
  'flash-sale-admission', 'flash-sale-status', 'flash-sale-reservation-expiry', 'flash-sale-counter-reconciler', 'flash-sale-abandoned-claim-sweep',
]);

export const isProcessLocal = (w: Worker) => PROCESS_LOCAL.has(w.name);

export function groupOf(w: Worker): WorkerGroup | undefined {
  return WORKER_GROUP_NAMES.find((g) => WORKER_GROUPS[g](w));
}

/** the process-local loops, plus the jobs of the groups asked for (a job no group names runs in the API process, as before) */
export function selectWorkers(workers: readonly Worker[], groups: readonly WorkerGroup[], where: 'api' | 'worker'): Worker[] {
  return workers.filter((w) => {
    if (isProcessLocal(w)) return true;
    const group = groupOf(w);
    return group === undefined ? where === 'api' : groups.includes(group);
  });
}
