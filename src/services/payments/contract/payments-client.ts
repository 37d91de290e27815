export type PaymentStatusName = 'none' | 'pending' | 'captured' | 'declined' | 'refunded';

export interface PaymentsClient {
  /** refunds the order's captured payment in full; idempotent per order */
  refund(input: { orderId: string; reason: string }): Promise<{ status: 'refunded' | 'nothing_to_refund'; paymentId?: string }>;
  /**
   * Where the order's payment stands. `mayCapture` is true while a capture can still happen: the
   * payment is queued, in flight or being retried (`pending`), or `order.placed` has not reached
   * payments yet (`none`; the orders outbox delivers it eventually).
   */
  paymentStatus(orderId: string): Promise<{ status: PaymentStatusName; mayCapture: boolean }>;
}
