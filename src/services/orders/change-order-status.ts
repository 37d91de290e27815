import type { OrderStatus } from './contract/events.js';
import type { Order, OrderStore } from './storage/order-store.js';

export type ChangeOrderResult =
  | { ok: true; order: Order }
  | { ok: false; code: 'ORDERS_NOT_FOUND' }
  | { ok: false; code: 'ORDERS_ILLEGAL_TRANSITION'; from: OrderStatus; to: OrderStatus }
  /** the order kept changing under us; the caller may retry */
  | { ok: false; code: 'ORDERS_BUSY' }
  /** the payment provider did not confirm the refund; nothing changed, and a retry is safe (the refund key is fixed) */
  | { ok: false; code: 'ORDERS_REFUND_UNCONFIRMED' };

/** What one decision round answers: a final result, or `retry` when the order moved while we acted. */
export type Decision = ChangeOrderResult | 'retry';

const ROUNDS = 3;

/**
 * Reads the order and lets `decide` act on the status it is in. A conditional transition that
 * lost a race answers `retry`, and the decision is taken again on the fresh status.
 */
export async function withFreshOrder(store: OrderStore, orderId: string, decide: (order: Order) => Promise<Decision>): Promise<ChangeOrderResult> {
  for (let round = 0; round < ROUNDS; round++) {
    const order = await store.findById(orderId);
    if (!order) return { ok: false, code: 'ORDERS_NOT_FOUND' };
    const decision = await decide(order);
    if (decision !== 'retry') return decision;
  }
  return { ok: false, code: 'ORDERS_BUSY' };
}
