import { PaymentEvents, type PaymentRefunded } from './contract/events.js';
import type { PaymentsClient } from './contract/payments-client.js';
import type { PaymentOutcome } from './attempt-charge.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { PaymentStore } from './storage/payment-store.js';

export interface RefundPaymentDeps {
  store: PaymentStore;
  provider: PaymentProvider;
  onEventsWritten: () => void;
  recordOutcome: (outcome: PaymentOutcome) => void;
}

type RefundResult = Awaited<ReturnType<PaymentsClient['refund']>>;

/**
 * Gives the order's money back in full, once. The PSP call carries a key derived from the
 * payment, so a retry after a crash between the PSP call and our commit refunds nothing twice.
 * A payment that is still pending has captured nothing yet: whoever sees its capture later
 * (orders, for a cancelled order) asks for the refund then.
 */
export const makeRefundPayment =
  ({ store, provider, onEventsWritten, recordOutcome }: RefundPaymentDeps) =>
  async ({ orderId, reason }: { orderId: string; reason: string }): Promise<RefundResult> => {
    const payment = await store.findByOrder(orderId);
    if (!payment || payment.status === 'pending' || payment.status === 'declined') {
      return { status: 'nothing_to_refund', ...(payment ? { paymentId: payment.id } : {}) };
    }
    if (payment.status === 'refunded') return { status: 'refunded', paymentId: payment.id };

    const outcome = await provider.refund({ reference: payment.pspReference ?? '', idempotencyKey: `refund:${payment.id}` });
    const refunded = await store.markRefunded(payment.id, outcome.reference, {
      type: PaymentEvents.refunded,
      payload: { orderId, paymentId: payment.id, amount: payment.amount, reason } satisfies PaymentRefunded,
    });
    if (refunded) {
      onEventsWritten();
      recordOutcome('refunded');
    }
    return { status: 'refunded', paymentId: payment.id };
  };
