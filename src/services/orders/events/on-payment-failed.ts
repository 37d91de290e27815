import type { Logger } from 'pino';
import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { PaymentFailed } from '../../payments/contract/events.js';
import type { TransitionOrder } from '../order-state-machine.js';
import type { OrderStore } from '../storage/order-store.js';

export interface OnPaymentFailedDeps {
  store: OrderStore;
  transition: TransitionOrder;
  inventory: InventoryClient;
  logger: Logger;
}

/**
 * The card was declined: the held units go back on sale, then the order fails. Releasing first
 * means a crash in between leaves a pending order whose redelivered event finishes the job, never
 * a failed order still holding stock.
 */
export function onPaymentFailed({ store, transition, inventory, logger }: OnPaymentFailedDeps): EventHandler<PaymentFailed> {
  return async (event) => {
    const { orderId, reason } = event.payload;
    const order = await store.findById(orderId);
    if (!order) {
      logger.warn({ orderId, eventId: event.id }, 'payment failed for an unknown order; ignored');
      return;
    }
    // anything but pending was settled already (a cancel released the hold itself)
    if (order.status !== 'pending') return;
    await inventory.release(order.reservationId, 'payment_failed');
    const failed = await transition(order, 'payment_failed', reason);
    if (!failed.ok) logger.info({ orderId, code: failed.code }, 'order closed by someone else while its failed payment was handled');
  };
}
