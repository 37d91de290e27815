import type { Logger } from 'pino';
import { auditEntry, type AuditContext } from '../../platform/audit/audit-log.js';
import { describeError } from '../../platform/telemetry/failure-log.js';
import type { PaymentsClient } from '../payments/contract/payments-client.js';
import { withFreshOrder, type ChangeOrderResult } from './change-order-status.js';
import { canTransition, type TransitionOrder } from './order-state-machine.js';
import type { OrderStore } from './storage/order-store.js';

export interface RefundOrderDeps {
  store: OrderStore;
  transition: TransitionOrder;
  payments: PaymentsClient;
  logger: Logger;
}

/**
 * Gives a paid or fulfilled order's money back; the goods are not restocked (they are with the
 * customer, or written off). Money first, status last, so a failed refund leaves a retryable order.
 */
export const makeRefundOrder =
  ({ store, transition, payments, logger }: RefundOrderDeps) =>
  (orderId: string, reason = 'refunded_by_admin', by?: AuditContext): Promise<ChangeOrderResult> =>
    withFreshOrder(store, orderId, async (order) => {
      if (!canTransition(order.status, 'refunded')) return { ok: false, code: 'ORDERS_ILLEGAL_TRANSITION', from: order.status, to: 'refunded' };
      try {
        await payments.refund({ orderId, reason });
      } catch (err) {
        // a PSP timeout, an open circuit or a refusal: the admin gets 503 and retries (the refund key
        // is fixed per payment, so a refund the PSP did make is not made twice), never a 500
        logger.warn({ orderId, error: describeError(err) }, 'refund not confirmed by the payment provider; order unchanged');
        return { ok: false, code: 'ORDERS_REFUND_UNCONFIRMED' };
      }
      const audit = by && auditEntry(by, 'orders.refunded', { type: 'order', id: orderId }, { from: order.status, reason });
      const moved = await transition(order, 'refunded', reason, audit);
      if (!moved.ok) return moved.code === 'ORDERS_STATUS_CHANGED' ? 'retry' : moved;
      return moved;
    });
