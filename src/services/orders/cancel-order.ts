import type { Logger } from 'pino';
import { auditEntry, type AuditContext } from '../../platform/audit/audit-log.js';
import { describeError } from '../../platform/telemetry/failure-log.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import type { PaymentsClient } from '../payments/contract/payments-client.js';
import { withFreshOrder, type ChangeOrderResult } from './change-order-status.js';
import { settleCancelledPaidOrder } from './events/on-order-cancelled.js';
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
 * Cancels an order, then settles what it held. The cancel itself is only the conditional transition:
 * the `order.cancelled` event written in its transaction is the durable promise that a pending
 * order's hold is released and a paid order's money is refunded and its units restocked
 * (events/on-order-cancelled.ts, redelivered until done). The same settling runs inline first, so
 * in the normal case it is done when the admin gets the answer; if the PSP or inventory fails right
 * then, the admin still gets 200 and the outbox finishes the job. Nothing outside the database can
 * therefore turn a legitimate cancel into a 500, and a capture that lands after the cancel is
 * refunded by on-payment-captured. Every settling step is idempotent (the PSP refund by a key derived
 * from the payment, the restock by the order id), so inline + redelivered runs refund once.
 */
export const makeCancelOrder =
  ({ store, transition, inventory, payments, logger }: CancelOrderDeps) =>
  (orderId: string, reason = 'cancelled_by_admin', by?: AuditContext): Promise<ChangeOrderResult> =>
    withFreshOrder(store, orderId, async (order) => {
      // an admin's cancel is audited in the transaction that cancels
      const audit = by && auditEntry(by, 'orders.cancelled', { type: 'order', id: orderId }, { from: order.status, reason });
      const moved = await transition(order, 'cancelled', reason, audit);
      if (!moved.ok) return moved.code === 'ORDERS_STATUS_CHANGED' ? 'retry' : moved;
      if (order.status === 'pending') {
        // the fast path, so the units are back on sale when the admin gets the answer
        await inventory.release(order.reservationId, 'order_cancelled').catch((err: unknown) =>
          logger.warn({ orderId, error: describeError(err) }, 'could not release the hold of a cancelled order now; order.cancelled releases it'));
      } else if (order.status === 'paid') {
        await settleCancelledPaidOrder({ inventory, payments }, order, reason).catch((err: unknown) =>
          logger.warn({ orderId, error: describeError(err) }, 'could not refund and restock a cancelled paid order now; order.cancelled does it'));
      }
      return moved;
    });
