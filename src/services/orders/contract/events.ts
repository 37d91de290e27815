import type { Money } from '../../../platform/money.js';

export type OrderStatus = 'pending' | 'paid' | 'payment_failed' | 'cancelled' | 'refunded' | 'fulfilled';

/** `order.placed`: durable and acknowledged (202); payments charges it. */
export interface OrderPlaced { orderId: string; customerId: string; total: Money; paymentToken: string; reservationId: string }
/** `order.paid`, `order.payment_failed`, `order.cancelled`, `order.refunded`, `order.fulfilled` */
export interface OrderStatusChanged {
  orderId: string;
  customerId: string;
  from: OrderStatus;
  to: OrderStatus;
  total: Money;
  reason?: string;
  /**
   * The cart the order was checked out from; null for an order from a flash-sale reservation. Lets a subscriber
   * that only cares about one kind skip the other without a query. Absent in events written before it existed.
   */
  cartId?: string | null;
}
export const OrderEvents = {
  placed: 'order.placed',
  paid: 'order.paid',
  paymentFailed: 'order.payment_failed',
  cancelled: 'order.cancelled',
  refunded: 'order.refunded',
  fulfilled: 'order.fulfilled',
} as const;
