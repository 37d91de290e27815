import type { Logger } from 'pino';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { OrdersClient } from '../orders/contract/orders-client.js';
import { followUpCountersNow } from './counter-follow-up.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';

export interface SweepAbandonedClaimsDeps {
  reservations: SaleReservationStore;
  counters: CounterStore;
  orders: Pick<OrdersClient, 'getOrder'>;
  clock: () => Date;
  logger: Logger;
  /**
   * How long past its lease an `ordered` reservation without an order is left alone: longer than the
   * order's own stock hold plus a checkout's idempotency lock, so a checkout still running (or a retry
   * resuming it) has either written its order or can no longer write it.
   */
  graceMs: number;
  batchSize?: number;
}

/**
 * A checkout that died between claiming a reservation and writing its order, and was never retried,
 * leaves the reservation `ordered` for an order that does not exist: its carved stock hold expires back
 * into the allocation on its own, but the sale would count the unit as sold for ever. Long after the
 * lease, such claims are given back (`ordered` → `expired`) and the counters make the unit available.
 * Claims whose order exists are left to the order's outcome. Answers how many it gave back.
 */
export const makeSweepAbandonedClaims =
  ({ reservations, counters, orders, clock, logger, graceMs, batchSize = 100 }: SweepAbandonedClaimsDeps) =>
  async (): Promise<number> => {
    const lapsed = await reservations.listOrderedLapsed(new Date(clock().getTime() - graceMs), batchSize);
    let swept = 0;
    for (const reservation of lapsed) {
      if (!reservation.orderId || (await orders.getOrder(reservation.orderId))) continue;
      const given = await reservations.unclaim({ id: reservation.id, orderId: reservation.orderId, now: clock() });
      if (!given) continue;
      swept++;
      logger.warn({ reservationId: given.id, saleId: given.saleId, orderId: reservation.orderId }, 'gave back a flash-sale reservation claimed by a checkout that never wrote its order');
      await followUpCountersNow({ counters, logger }, given.saleId, given.id, given.status);
    }
    return swept;
  };

/** Runs the sweep every minute. */
export function createAbandonedClaimSweepWorker(deps: SweepAbandonedClaimsDeps & { intervalMs?: number }): Worker {
  return createPollingWorker({ name: 'flash-sale-abandoned-claim-sweep', pass: makeSweepAbandonedClaims(deps), logger: deps.logger, idleMs: deps.intervalMs ?? 60_000 });
}
