import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { InventoryClient } from '../../inventory/contract/inventory-client.js';
import type { OrderStatusChanged } from '../contract/events.js';
import type { OrderStore } from '../storage/order-store.js';

/**
 * The durable half of a cancel: `order.cancelled` is written in the cancel's own transaction, so the
 * hold of a cancelled order is released even when the cancel's inline release failed (a database
 * blip) or the process died right after the commit; the outbox redelivers until it is done. Release
 * is idempotent and a no-op on a committed or released hold, so a cancel of a paid order, or one
 * whose hold had already expired, or a second delivery, changes nothing.
 */
export function onOrderCancelled({ store, inventory }: { store: OrderStore; inventory: InventoryClient }): EventHandler<OrderStatusChanged> {
  return async (event) => {
    if (event.payload.from !== 'pending') return; // a paid order's units were committed, and restocked by the cancel itself
    const order = await store.findById(event.payload.orderId);
    if (order) await inventory.release(order.reservationId, 'order_cancelled');
  };
}
