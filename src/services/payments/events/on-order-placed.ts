import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { OrderPlaced } from '../../orders/contract/events.js';
import type { ChargePaymentInput } from '../charge-payment.js';

/** The key the PSP de-duplicates on: one order, one key, however often the event arrives. */
export const orderChargeKey = (orderId: string) => `order:${orderId}`;

/**
 * Charges a placed order. A transient PSP failure (after the provider's own retries) is thrown,
 * so the orders outbox keeps the event and delivers it again later: an acknowledged order is
 * never dropped, and the redelivery reuses the key, so it never captures twice.
 */
export function onOrderPlaced(chargePayment: (input: ChargePaymentInput) => Promise<unknown>): EventHandler<OrderPlaced> {
  return async (event) => {
    const { orderId, total, paymentToken } = event.payload;
    await chargePayment({ orderId, amount: total, paymentToken, idempotencyKey: orderChargeKey(orderId) });
  };
}
