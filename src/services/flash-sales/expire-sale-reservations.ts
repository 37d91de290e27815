import type { Logger } from 'pino';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import { followUpCountersNow } from './counter-follow-up.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';

export interface ExpireSaleReservationsDeps {
  reservations: SaleReservationStore;
  counters: CounterStore;
  clock: () => Date;
  logger: Logger;
  batchSize?: number;
}

/**
 * Reservations nobody checked out before their lease ended: `held` → `expired` in PostgreSQL first,
 * then the counters release the units (and admission reopens). The change is conditional on `held`,
 * so a checkout claiming the reservation at the same instant either wins (ordered) or is told it
 * expired, and any number of processes may run this. A crash between the two steps is caught up by
 * the reservation_changed event (sync-counters.ts) and, failing that, the reconciler.
 * Answers how many it expired.
 */
export const makeExpireSaleReservations =
  ({ reservations, counters, clock, logger, batchSize = 200 }: ExpireSaleReservationsDeps) =>
  async (): Promise<number> => {
    const due = await reservations.listExpiredHeld(clock(), batchSize);
    let expired = 0;
    for (const reservation of due) {
      const changed = await reservations.transition(reservation.id, { from: ['held'], to: 'expired', at: clock() });
      if (!changed) continue;
      expired++;
      await followUpCountersNow({ counters, logger }, changed.saleId, changed.id, 'expired');
    }
    return expired;
  };

/** Runs the lease expiry every `intervalMs` (1 s), at once again while a backlog remains. */
export function createSaleReservationExpiryWorker(deps: ExpireSaleReservationsDeps & { intervalMs?: number }): Worker {
  return createPollingWorker({
    name: 'flash-sale-reservation-expiry',
    pass: makeExpireSaleReservations(deps),
    logger: deps.logger,
    idleMs: deps.intervalMs ?? 1_000,
    continueWhileBusy: true,
  });
}
