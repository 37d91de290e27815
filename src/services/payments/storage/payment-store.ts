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
  /** calls made to the PSP for this payment */
  attempts: number;
  /** the PSP token the order was placed with (null on rows older than the payments worker) */
  paymentToken: string | null;
  /** the order's stock hold, kept alive while the payment may still capture */
  reservationId: string | null;
  /** when a worker may next charge it (pending only) */
  nextAttemptAt: Date;
  /** a worker owns it until then */
  leaseExpiresAt: Date | null;
  lastError: string | null;
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
  open(input: { id: string; orderId: string; idempotencyKey: string; amount: Money; paymentToken?: string; reservationId?: string }): Promise<OpenPaymentResult>;
  findById(id: string): Promise<Payment | null>;
  findByOrder(orderId: string): Promise<Payment | null>;
  /** counts one more call to the PSP */
  countAttempt(id: string): Promise<void>;
  /**
   * Leases up to `limit` pending payments that are due at `now` and not leased by a live worker,
   * oldest due first. `for update skip locked`: several workers (processes) never claim one twice.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<Payment[]>;
  /** a pending payment goes back to waiting until `at` (lease released); false when it is no longer pending */
  reschedule(id: string, next: { at: Date; error?: string }): Promise<boolean>;
  /**
   * Pushes up to `limit` due, unleased pending payments to `until` without spending an attempt
   * (the PSP is known to be down); answers the payments it moved.
   */
  deferDue(now: Date, until: Date, limit: number): Promise<Payment[]>;
  /** pending payments by where they stand, for the gauge */
  countPending(now: Date): Promise<{ queued: number; retrying: number; inFlight: number }>;
  /**
   * pending → captured or declined (lease released), with its event, atomically. Null when the payment was
   * not pending any more (a concurrent delivery settled it first); nothing is written then.
   */
  settle(
    id: string,
    outcome: { status: 'captured'; pspReference: string } | { status: 'declined'; reason: string },
    event: PaymentEvent,
  ): Promise<Payment | null>;
  /** captured → refunded, with its event, atomically; null when it was not captured */
  markRefunded(id: string, refundReference: string | null, event: PaymentEvent): Promise<Payment | null>;
}
