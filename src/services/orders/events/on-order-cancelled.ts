import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { PaymentsClient } from '../../payments/contract/payments-client.js';
import type { OrderStatusChanged } from '../contract/events.js';
import type { Order, OrderStore } from '../storage/order-store.js';

/**
 * What a cancelled paid order is owed: its units back (on the shelf, or into the flash sale they came from
 * while it runs) and its money back. Both steps are
 * idempotent (the restock once per order id, the refund once per payment), so the cancel's inline
 * attempt and any number of redeliveries of `order.cancelled` restock and refund exactly once.
 */
export async function settleCancelledPaidOrder(
  { inventory, payments }: { inventory: Pick<InventoryClient, 'restock'>; payments: Pick<PaymentsClient, 'refund'> },
  order: Pick<Order, 'id' | 'lines' | 'reservationId'>,
  reason: string,
): Promise<void> {
  // soldFrom: a flash-sale order's units go back into the sale while it runs (inventory decides, by its allocation)
  await inventory.restock({ reference: order.id, lines: order.lines.map(({ variantId, quantity }) => ({ variantId, quantity })), soldFrom: order.reservationId });
  await payments.refund({ orderId: order.id, reason });
}

/**
 * The durable half of a cancel: `order.cancelled` is written in the cancel's own transaction, so what
 * the order held is settled even when the cancel's inline attempt failed (a database blip, the PSP
 * timing out or its circuit open) or the process died right after the commit; the outbox redelivers
 * until it is done. A pending order's hold is released (a no-op on a committed, released or expired
 * hold); a paid order is restocked and refunded. A second delivery changes nothing.
 */
export function onOrderCancelled({ store, inventory, payments }: { store: OrderStore; inventory: InventoryClient; payments: PaymentsClient }): EventHandler<OrderStatusChanged> {
  return async (event) => {
    const { from, orderId, reason } = event.payload;
    if (from !== 'pending' && from !== 'paid') return;
    const order = await store.findById(orderId);
    if (!order) return;
    if (from === 'pending') await inventory.release(order.reservationId, 'order_cancelled');
    else await settleCancelledPaidOrder({ inventory, payments }, order, reason ?? 'order_cancelled');
  };
}
