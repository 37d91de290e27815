import type { Logger } from 'pino';
import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { ReservationExpired } from '../../inventory/contract/events.js';
import type { TransitionOrder } from '../order-state-machine.js';
import type { OrderStore } from '../storage/order-store.js';

export interface OnReservationExpiredDeps {
  store: OrderStore;
  transition: TransitionOrder;
  logger: Logger;
}

/**
 * The hold ran out before the payment settled: inventory has put the units back, so the order can
 * no longer be honoured. A capture that still arrives later is refunded by on-payment-captured.
 */
export function onReservationExpired({ store, transition, logger }: OnReservationExpiredDeps): EventHandler<ReservationExpired> {
  return async (event) => {
    // other owners' holds (flash sales) share the event; their references are not our orders
    const order = await store.findById(event.payload.reference);
    if (!order || order.status !== 'pending' || order.reservationId !== event.payload.reservationId) return;
    const cancelled = await transition(order, 'cancelled', 'reservation_expired');
    if (!cancelled.ok) logger.info({ orderId: order.id, code: cancelled.code }, 'order settled while its hold expired');
  };
}
