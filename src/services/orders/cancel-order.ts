import type { Logger } from 'pino';
import { auditEntry, type AuditContext } from '../../platform/audit/audit-log.js';
import { describeError } from '../../platform/telemetry/failure-log.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import type { PaymentsClient } from '../payments/contract/payments-client.js';
import { withFreshOrder, type ChangeOrderResult } from './change-order-status.js';
import type { TransitionOrder } from './order-state-machine.js';
import type { OrderStore } from './storage/order-store.js';

export interface CancelOrderDeps {
  store: OrderStore;
  transition: TransitionOrder;
  inventory: InventoryClient;
  payments: PaymentsClient;
  logger: Logger;
}

/**
 * Cancels an order and settles what it held. A pending order gives its hold back, durably: the
 * `order.cancelled` event written with the cancel releases it if the inline release fails
 * (events/on-order-cancelled.ts); a capture that still arrives is refunded by on-payment-captured. A paid order gets its money back and its
 * units restocked before it is marked cancelled: each step is idempotent, so if one fails the
 * order stays paid and the admin's retry runs the whole thing again.
 */
export const makeCancelOrder =
  ({ store, transition, inventory, payments, logger }: CancelOrderDeps) =>
  (orderId: string, reason = 'cancelled_by_admin', by?: AuditContext): Promise<ChangeOrderResult> =>
    withFreshOrder(store, orderId, async (order) => {
      if (order.status === 'paid') {
        await payments.refund({ orderId, reason });
        await inventory.restock({ reference: orderId, lines: order.lines.map(({ variantId, quantity }) => ({ variantId, quantity })) });
      }
      // an admin's cancel is audited in the transaction that cancels
      const audit = by && auditEntry(by, 'orders.cancelled', { type: 'order', id: orderId }, { from: order.status, reason });
      const moved = await transition(order, 'cancelled', reason, audit);
      if (!moved.ok) return moved.code === 'ORDERS_STATUS_CHANGED' ? 'retry' : moved;
      if (order.status === 'pending') {
        // the fast path, so the units are back on sale when the admin gets the answer; if it fails,
        // order.cancelled (written with the cancel) releases them through the outbox
        await inventory.release(order.reservationId, 'order_cancelled').catch((err: unknown) =>
          logger.warn({ orderId, error: describeError(err) }, 'could not release the hold of a cancelled order now; order.cancelled releases it'));
      }
      return moved;
    });
