import { uuidv7 } from 'uuidv7';
import type { Money } from '../../platform/money.js';
import { PaymentEvents, type PaymentCaptured, type PaymentFailed } from './contract/events.js';
import type { ChargeResult } from './contract/payments-client.js';
import { TransientPaymentError, type PaymentProvider } from './providers/payment-provider.js';
import type { Payment, PaymentStore } from './storage/payment-store.js';

export type PaymentOutcome = 'captured' | 'declined' | 'refunded' | 'transient_error';

export interface ChargePaymentDeps {
  store: PaymentStore;
  provider: PaymentProvider;
  /** after a commit that wrote events, so the relay publishes them now */
  onEventsWritten: () => void;
  recordOutcome: (outcome: PaymentOutcome) => void;
}

export interface ChargePaymentInput {
  orderId: string;
  amount: Money;
  paymentToken: string;
  idempotencyKey: string;
}

/** The recorded answer of a payment that is final; undefined while it is pending. */
function recorded(payment: Payment): ChargeResult | undefined {
  switch (payment.status) {
    case 'captured':
    case 'refunded':
      return { status: 'captured', paymentId: payment.id, pspReference: payment.pspReference ?? '' };
    case 'declined':
      return { status: 'declined', paymentId: payment.id, reason: payment.declineReason ?? 'declined' };
    default:
      return undefined;
  }
}

/**
 * Charges an order at most once. The payment row is the memory: a final one answers without
 * calling the PSP; a pending one (first try, or a crash mid-call) calls the PSP with the stored
 * idempotency key, so the PSP returns the charge it already made instead of making another.
 */
export const makeChargePayment =
  ({ store, provider, onEventsWritten, recordOutcome }: ChargePaymentDeps) =>
  async (input: ChargePaymentInput): Promise<ChargeResult> => {
    const opened = await store.open({ id: uuidv7(), orderId: input.orderId, idempotencyKey: input.idempotencyKey, amount: input.amount });
    if (!opened.ok) throw new Error(`idempotency key ${input.idempotencyKey} already belongs to another order's payment`);
    const payment = opened.payment;
    const known = recorded(payment);
    if (known) return known;

    await store.countAttempt(payment.id);
    let outcome;
    try {
      outcome = await provider.charge({
        amount: payment.amount.amount,
        currency: payment.amount.currency,
        token: input.paymentToken,
        idempotencyKey: payment.idempotencyKey,
      });
    } catch (err) {
      if (err instanceof TransientPaymentError) recordOutcome('transient_error');
      throw err;
    }

    const settled =
      outcome.status === 'captured'
        ? await store.settle(payment.id, { status: 'captured', pspReference: outcome.reference }, {
            type: PaymentEvents.captured,
            payload: { orderId: payment.orderId, paymentId: payment.id, amount: payment.amount } satisfies PaymentCaptured,
          })
        : await store.settle(payment.id, { status: 'declined', reason: outcome.reason }, {
            type: PaymentEvents.failed,
            payload: { orderId: payment.orderId, paymentId: payment.id, reason: outcome.reason } satisfies PaymentFailed,
          });
    if (settled) {
      onEventsWritten();
      recordOutcome(outcome.status);
    }
    // null: a concurrent delivery recorded the same PSP answer first; report what it recorded
    const final = settled ?? (await store.findById(payment.id));
    const answer = final && recorded(final);
    if (!answer) throw new Error(`payment ${payment.id} is still pending after the PSP answered`);
    return answer;
  };
