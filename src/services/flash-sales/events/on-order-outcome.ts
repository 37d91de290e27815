import type { Logger } from 'pino';
import type { DomainEvent, EventHandler } from '../../../platform/bus/event-bus.js';
import type { CounterStore } from '../../../platform/counters/counter-store.js';
import type { OrderStatusChanged } from '../../orders/contract/events.js';
import { followUpCountersNow } from '../counter-follow-up.js';
import type { SaleReservationStore } from '../storage/sale-reservation-store.js';
import type { SaleRecord } from '../storage/sale-store.js';

export interface OnOrderOutcomeDeps {
  reservations: SaleReservationStore;
  counters: CounterStore;
  clock: () => Date;
  logger: Logger;
  /** the sale as PostgreSQL has it now (a paid order cancelled after the sale ended stays sold) */
  sale: (id: string) => Promise<SaleRecord | null>;
}

/** an order event that may concern a sale reservation: not one of an order checked out from a cart (events written before `cartId` was in them count as may) */
export const fromReservation = (event: DomainEvent<OrderStatusChanged>): boolean => typeof event.payload.cartId !== 'string';

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
 * A PAID order cancelled by an admin while the sale has not ended: orders restocks its units into the
 * sale's allocation (inventory's restock with `soldFrom`, while the allocation holds), so the reservation
 * goes `sold` → `released` and the counters unsell it: the sale resells the unit and admission reopens.
 * Once the sale ended, its allocation went (or goes) back to the shelf with the restocked units, and the
 * reservation stays `sold`.
 */
export function onOrderFailed({ reservations, counters, clock, logger, sale }: OnOrderOutcomeDeps): EventHandler<OrderStatusChanged> {
  return async (event) => {
    const { from } = event.payload;
    if (from !== 'pending' && from !== 'paid') return;
    const reservation = await reservations.findByOrder(event.payload.orderId);
    if (!reservation) return;
    if (from === 'paid' && (await sale(reservation.saleId))?.status === 'ended') return;
    const released = await reservations.transition(reservation.id, { from: from === 'paid' ? ['sold', 'ordered'] : ['ordered'], to: 'released', at: clock() });
    // a redelivery (already released) repeats the idempotent counter step: it may be what failed first
    const status = released?.status ?? reservation.status;
    if (status === 'released') await followUpCountersNow({ counters, logger }, reservation.saleId, reservation.id, status);
  };
}
