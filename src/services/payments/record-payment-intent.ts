import { newId } from '../../platform/ids.js';
import type { Money } from '../../platform/money.js';
import type { PaymentStore } from './storage/payment-store.js';

export interface RecordPaymentIntentInput {
  orderId: string;
  amount: Money;
  paymentToken: string;
  /** the order's stock hold, which the worker keeps alive while it charges */
  reservationId: string;
  idempotencyKey: string;
}

export interface RecordPaymentIntentDeps {
  store: PaymentStore;
  /** after the intent is durable, so an idle worker charges it now */
  onRecorded: () => void;
}

/**
 * Writes the order's payment, pending and due now — one insert, no PSP call. The worker charges
 * it, so whoever delivers `order.placed` (the orders outbox relay) is never held up by the PSP.
 */
export const makeRecordPaymentIntent =
  ({ store, onRecorded }: RecordPaymentIntentDeps) =>
  async (input: RecordPaymentIntentInput): Promise<void> => {
    const opened = await store.open({ id: newId(), ...input });
    if (!opened.ok) throw new Error(`idempotency key ${input.idempotencyKey} already belongs to another order's payment`);
    if (opened.payment.status === 'pending') onRecorded();
  };
