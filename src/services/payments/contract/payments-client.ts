import type { Money } from '../../../platform/money.js';

export type ChargeResult =
  | { status: 'captured'; paymentId: string; pspReference: string }
  | { status: 'declined'; paymentId: string; reason: string };

export interface PaymentsClient {
  /**
   * Charges once per idempotency key, however often it is called: the key is stored with the
   * payment and sent to the PSP. Throws on transient failure (the caller's event is retried).
   */
  charge(input: { orderId: string; amount: Money; paymentToken: string; idempotencyKey: string }): Promise<ChargeResult>;
  /** refunds the order's captured payment in full; idempotent per order */
  refund(input: { orderId: string; reason: string }): Promise<{ status: 'refunded' | 'nothing_to_refund'; paymentId?: string }>;
}
