import type { EventHandler } from '../../../platform/bus/event-bus.js';
import type { OrderPlaced } from '../../orders/contract/events.js';
import type { RecordPaymentIntentInput } from '../record-payment-intent.js';

/** The key the PSP de-duplicates on: one order, one key, however often the event arrives. */
export const orderChargeKey = (orderId: string) => `order:${orderId}`;

/**
 * Records the placed order's payment; the payments worker charges it. Only a database failure
 * throws here (the orders outbox then redelivers), never a PSP one: the relay must not wait on,
 * or be stalled by, the PSP.
 */
export function onOrderPlaced(recordIntent: (input: RecordPaymentIntentInput) => Promise<void>): EventHandler<OrderPlaced> {
  return async (event) => {
    const { orderId, total, paymentToken, reservationId } = event.payload;
    await recordIntent({ orderId, amount: total, paymentToken, reservationId, idempotencyKey: orderChargeKey(orderId) });
  };
}
