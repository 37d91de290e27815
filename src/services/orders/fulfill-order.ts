import { withFreshOrder, type ChangeOrderResult } from './change-order-status.js';
import type { TransitionOrder } from './order-state-machine.js';
import type { OrderStore } from './storage/order-store.js';

/** Marks a paid order as shipped; only a paid order can be. */
export const makeFulfillOrder =
  ({ store, transition }: { store: OrderStore; transition: TransitionOrder }) =>
  (orderId: string, reason = 'fulfilled'): Promise<ChangeOrderResult> =>
    withFreshOrder(store, orderId, async (order) => {
      const moved = await transition(order, 'fulfilled', reason);
      if (!moved.ok) return moved.code === 'ORDERS_STATUS_CHANGED' ? 'retry' : moved;
      return moved;
    });
