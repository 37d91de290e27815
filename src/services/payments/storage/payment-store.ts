import type { Money } from '../../../platform/money.js';

export type PaymentStatus = 'pending' | 'captured' | 'declined' | 'refunded';

export interface Payment {
  id: string;
  orderId: string;
  idempotencyKey: string;
  amount: Money;
  status: PaymentStatus;
  pspReference: string | null;
  declineReason: string | null;
  refundReference: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An event written in the same transaction as the state change that caused it. */
export interface PaymentEvent {
  type: string;
  payload: unknown;
}

export type OpenPaymentResult =
  | { ok: true; payment: Payment }
  /** the key already belongs to another order's payment */
  | { ok: false; code: 'IDEMPOTENCY_KEY_TAKEN' };

export interface PaymentStore {
  /**
   * The order's payment, created pending if it has none. An order has one payment whatever key a
   * later call brings, so a second key can never start a second charge.
   */
  open(input: { id: string; orderId: string; idempotencyKey: string; amount: Money }): Promise<OpenPaymentResult>;
  findById(id: string): Promise<Payment | null>;
  findByOrder(orderId: string): Promise<Payment | null>;
  /** counts one more call to the PSP */
  countAttempt(id: string): Promise<void>;
  /**
   * pending → captured or declined, with its event, in one transaction. Null when the payment was
   * not pending any more (a concurrent delivery settled it first); nothing is written then.
   */
  settle(
    id: string,
    outcome: { status: 'captured'; pspReference: string } | { status: 'declined'; reason: string },
    event: PaymentEvent,
  ): Promise<Payment | null>;
  /** captured → refunded, with its event, in one transaction; null when it was not captured */
  markRefunded(id: string, refundReference: string | null, event: PaymentEvent): Promise<Payment | null>;
}
