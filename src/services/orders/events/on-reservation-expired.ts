import type { Logger } from 'pino';
import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { ReservationExpired } from '../../inventory/contract/events.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { PaymentsClient } from '../../payments/contract/payments-client.js';
import type { TransitionOrder } from '../order-state-machine.js';
import type { OrderStore } from '../storage/order-store.js';

export interface OnReservationExpiredDeps {
  store: OrderStore;
  transition: TransitionOrder;
  payments: Pick<PaymentsClient, 'paymentStatus'>;
  inventory: Pick<InventoryClient, 'extendReservation'>;
  /** how far a hold is pushed when it can still be saved */
  extendByMs?: number;
  clock: () => Date;
  logger: Logger;
}

/**
 * The rule, enforced here: a hold expiry never cancels an order whose payment may still capture,
 * and never refunds anything. Payments keeps the hold of a payment it is charging or retrying
 * alive (attempt-charge.ts), so an expiry normally means nobody will pay for the order any more:
 * it is cancelled. If the payment may still capture (queued, in flight, being retried, or not
 * recorded yet) the order stays pending and its payment decides: the hold is extended when it
 * still holds; when it is already gone, a capture that comes later meets on-payment-captured,
 * which takes the same units back from the shelf if they are still there (refunding only if not).
 */
export function onReservationExpired({ store, transition, payments, inventory, extendByMs = 15 * 60_000, clock, logger }: OnReservationExpiredDeps): EventHandler<ReservationExpired> {
  return async (event) => {
    // other owners' holds (flash sales) share the event; their references are not our orders
    const order = await store.findById(event.payload.reference);
    if (!order || order.status !== 'pending' || order.reservationId !== event.payload.reservationId) return;

    const payment = await payments.paymentStatus(order.id);
    if (payment.mayCapture) {
      const extended = await inventory.extendReservation(order.reservationId, new Date(clock().getTime() + extendByMs));
      logger.warn(
        { orderId: order.id, payment: payment.status, hold: extended.ok ? 'extended' : extended.code },
        'order hold expired while its payment may still capture; the order is kept pending',
      );
      return;
    }
    const cancelled = await transition(order, 'cancelled', 'reservation_expired');
    if (!cancelled.ok) logger.info({ orderId: order.id, code: cancelled.code }, 'order settled while its hold expired');
  };
}
