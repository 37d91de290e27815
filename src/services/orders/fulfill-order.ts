import { auditEntry, type AuditContext } from '../../platform/audit/audit-log.js';
import { withFreshOrder, type ChangeOrderResult } from './change-order-status.js';
import type { TransitionOrder } from './order-state-machine.js';
import type { OrderStore } from './storage/order-store.js';

/** Marks a paid order as shipped; only a paid order can be. */
export const makeFulfillOrder =
  ({ store, transition }: { store: OrderStore; transition: TransitionOrder }) =>
  (orderId: string, reason = 'fulfilled', by?: AuditContext): Promise<ChangeOrderResult> =>
    withFreshOrder(store, orderId, async (order) => {
      const audit = by && auditEntry(by, 'orders.fulfilled', { type: 'order', id: orderId }, { from: order.status, reason });
      const moved = await transition(order, 'fulfilled', reason, audit);
      if (!moved.ok) return moved.code === 'ORDERS_STATUS_CHANGED' ? 'retry' : moved;
      return moved;
    });
