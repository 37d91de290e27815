import type { Logger } from 'pino';
import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { PaymentCaptured } from '../../payments/contract/events.js';
import type { PaymentsClient } from '../../payments/contract/payments-client.js';
import type { TransitionOrder } from '../order-state-machine.js';
import type { Order, OrderStore } from '../storage/order-store.js';

export interface OnPaymentCapturedDeps {
  store: OrderStore;
  transition: TransitionOrder;
  inventory: InventoryClient;
  payments: PaymentsClient;
  logger: Logger;
}

/**
 * The money is in: commit the held units and mark the order paid. If the order can no longer be
 * fulfilled (it was cancelled meanwhile, or its hold expired and the units were sold to someone else)
 * the capture is undone instead.
 * Every step is idempotent, so a redelivered event (or a crash half-way) converges to the same end.
 */
export function onPaymentCaptured({ store, transition, inventory, payments, logger }: OnPaymentCapturedDeps): EventHandler<PaymentCaptured> {
  /** money back and, if this order's units left the shelf, units back */
  const undoCapture = async (order: Order, reason: string) => {
    // committing again answers, idempotently, whether the units left the shelf for this order:
    // a commit that raced a cancel, or our own earlier attempt that crashed before its restock
    const committed = await inventory.commit(order.reservationId);
    if (committed.ok) await inventory.restock({ reference: order.id, lines: order.lines.map(({ variantId, quantity }) => ({ variantId, quantity })) });
    await payments.refund({ orderId: order.id, reason });
  };

  /**
   * The order's units leave the shelf. A hold that expired while the payment was still out (no
   * payments worker touched it for the whole margin) is taken back from the shelf when its units
   * are still there: a capture is never refunded just because our hold lapsed.
   */
  const takeUnits = async (order: Order) => {
    const committed = await inventory.commit(order.reservationId);
    if (committed.ok || committed.code !== 'RESERVATION_RELEASED') return committed;
    const retaken = await inventory.commitExpired(order.reservationId);
    if (retaken.ok) logger.warn({ orderId: order.id }, 'payment captured after its hold expired; the units were still available and the sale stands');
    else logger.warn({ orderId: order.id, code: retaken.code }, 'payment captured after its hold expired and the units are gone; refunding');
    return retaken;
  };
  return async (event) => {
    const { orderId } = event.payload;
    const order = await store.findById(orderId);
    if (!order) {
      logger.warn({ orderId, eventId: event.id }, 'payment captured for an unknown order; ignored');
      return;
    }
    if (order.status === 'cancelled' || order.status === 'payment_failed') return undoCapture(order, `order_${order.status}`);
    // paid, fulfilled, refunded: this capture was handled before
    if (order.status !== 'pending') return;

    const committed = await takeUnits(order);
    if (!committed.ok) {
      // the hold ran out before the money came and its units were sold meanwhile: there is nothing
      // to ship, so the money goes back (the one case where a lapsed hold costs the sale)
      await payments.refund({ orderId, reason: 'reservation_expired' });
      const cancelled = await transition(order, 'cancelled', 'reservation_expired');
      if (!cancelled.ok) logger.info({ orderId, code: cancelled.code }, 'order closed by someone else while its expired capture was refunded');
      return;
    }
    const paid = await transition(order, 'paid', 'payment_captured');
    if (paid.ok) return;
    // closed (cancelled, expired) between our read and our commit: undo against its new status
    const now = await store.findById(orderId);
    if (now && (now.status === 'cancelled' || now.status === 'payment_failed')) await undoCapture(now, `order_${now.status}`);
  };
}
