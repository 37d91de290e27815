import type { Logger } from 'pino';
import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { CounterStore } from '../../../platform/counters/counter-store.js';
import type { OrderStatusChanged } from '../../orders/contract/events.js';
import { followUpCountersNow } from '../counter-follow-up.js';
import type { SaleReservationStore } from '../storage/sale-reservation-store.js';

export interface OnOrderOutcomeDeps {
  reservations: SaleReservationStore;
  counters: CounterStore;
  clock: () => Date;
  logger: Logger;
}

/**
 * `order.paid`: the order's reservation is `sold` for good. Orders that are not flash-sale orders
 * have no reservation and are ignored; a redelivery finds the reservation sold already.
 */
export function onOrderPaid({ reservations, counters, clock, logger }: OnOrderOutcomeDeps): EventHandler<OrderStatusChanged> {
  return async (event) => {
    const reservation = await reservations.findByOrder(event.payload.orderId);
    if (!reservation) return;
    const sold = await reservations.transition(reservation.id, { from: ['ordered'], to: 'sold', at: clock() });
    await followUpCountersNow({ counters, logger }, reservation.saleId, reservation.id, sold?.status ?? reservation.status);
  };
}

/**
 * `order.payment_failed`, and `order.cancelled` of a pending order: the unit is on sale again.
 * Orders gives the carved inventory hold back to the sale's allocation (its release); here the
 * reservation becomes `released` and the counters make the unit available and reopen admission.
 *
 * A PAID order cancelled later is left `sold`: orders restocks its units to the shelf (as for any
 * refund), not to the sale's allocation, so the sale must not offer them again.
 */
export function onOrderFailed({ reservations, counters, clock, logger }: OnOrderOutcomeDeps): EventHandler<OrderStatusChanged> {
  return async (event) => {
    if (event.payload.from !== 'pending') return;
    const reservation = await reservations.findByOrder(event.payload.orderId);
    if (!reservation) return;
    const released = await reservations.transition(reservation.id, { from: ['ordered'], to: 'released', at: clock() });
    // a redelivery (already released) repeats the idempotent counter step: it may be what failed first
    const status = released?.status ?? reservation.status;
    if (status === 'released') await followUpCountersNow({ counters, logger }, reservation.saleId, reservation.id, status);
  };
}
