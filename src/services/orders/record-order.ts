import { sumMoney, type Money } from '../../platform/money.js';
import type { InventoryClient, ReserveResult } from '../inventory/contract/inventory-client.js';
import { OrderEvents, type OrderPlaced } from './contract/events.js';
import type { IdempotencyClaim, SavedResponse } from './idempotency/idempotency-store.js';
import { IdempotencyClaimLost, type Order, type OrderStore, type ShippingAddress } from './storage/order-store.js';
import type { UndoFailedCheckout } from './undo-failed-checkout.js';

export interface RecordOrderDeps {
  inventory: InventoryClient;
  store: OrderStore;
  clock: () => Date;
  /** how long the stock is held for payment */
  reservationTtlMs: number;
  /** after the commit, so the relay hands order.placed to payments now instead of on its next poll */
  onEventsWritten: () => void;
  /** gives back the hold and what the intent claimed when the order cannot be written (undo-failed-checkout.ts) */
  undoFailedCheckout: UndoFailedCheckout;
}

/** What checkout knows once it claimed what the customer buys (a cart, a flash-sale reservation). */
export interface OrderIntent {
  customerId: string;
  email: string | null;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  /** this request's claim on its idempotency key; its `orderId` is the order placed */
  idempotency: IdempotencyClaim;
  cartId: string | null;
  lines: Array<{ variantId: string; sku: string; title: string; quantity: number; unitPrice: Money }>;
  currency: string;
  /** carve the hold out of this inventory reservation (a flash sale's allocation) instead of the shelf */
  from?: string;
  /** gives back what was claimed for this order before the hold (the cart, the sale reservation); idempotent */
  giveBack: () => Promise<void>;
  /** what the logs name if the undo has to be retried in the background */
  context: Record<string, unknown>;
  /** who takes over when that background undo gives up */
  fallback: string;
}

export type RecordOrderResult =
  | { ok: true; orderId: string; response: SavedResponse }
  /** inventory refused the hold; what was claimed was given back */
  | { ok: false; refused: Extract<ReserveResult, { ok: false }> };

/** The acknowledgement: the order is durable and will reach a final status on its own. */
export const acceptedResponse = (orderId: string): SavedResponse => ({ status: 202, body: { orderId, status: 'pending' } });

/**
 * The second half of every checkout: hold the stock, then write the order, its `order.placed` event
 * and the saved 202 in one transaction. Payment happens afterwards, driven by the event.
 *
 * The hold is idempotent for the order id (its reference), which comes with the idempotency claim:
 * a retry that takes a crashed attempt's claim over finds the hold already made and finishes the order.
 */
export const makeRecordOrder =
  ({ inventory, store, clock, reservationTtlMs, onEventsWritten, undoFailedCheckout }: RecordOrderDeps) =>
  async (intent: OrderIntent): Promise<RecordOrderResult> => {
    const { orderId } = intent.idempotency;
    let reservationId: string | undefined;
    try {
      const lines = intent.lines.map(({ variantId, quantity }) => ({ variantId, quantity }));
      // a retry gets the hold its crashed attempt made, not a second one
      const hold = await inventory.reserve({ reference: orderId, lines, ttlMs: reservationTtlMs, ...(intent.from ? { from: intent.from } : {}) });
      if (!hold.ok) {
        await intent.giveBack();
        return { ok: false, refused: hold };
      }
      reservationId = hold.reservationId;
      const order = newOrder(intent, reservationId, clock());
      await store.insertPlaced({
        order,
        event: { type: OrderEvents.placed, payload: placedEvent(order) },
        idempotency: { claim: intent.idempotency, response: acceptedResponse(orderId) },
      });
    } catch (err) {
      // our lock lapsed and a retry took the claim over: it runs this same order id on this claim
      // and this hold, so undoing them here would pull them from under the order it places (and
      // if it was the abandoned-checkout sweeper instead, it gives the cart back; the hold expires)
      if (err instanceof IdempotencyClaimLost) throw err;
      // nothing was acknowledged: hand the units and the claim back, so the client's retry starts clean
      const heldId = reservationId;
      await undoFailedCheckout(err, {
        idempotency: intent.idempotency,
        undo: async () => {
          if (heldId) await inventory.release(heldId, 'checkout_failed');
          await intent.giveBack();
        },
        context: { reservationId: heldId, ...intent.context },
        fallback: intent.fallback,
      });
      throw err;
    }
    onEventsWritten();
    return { ok: true, orderId, response: acceptedResponse(orderId) };
  };

function newOrder(intent: OrderIntent, reservationId: string, now: Date): Omit<Order, 'status' | 'updatedAt'> {
  const lines = intent.lines.map((line, i) => ({ lineNo: i + 1, ...line }));
  // priced from unit prices, not from the cart's totals: the order is its own record of what was sold
  const total = sumMoney(lines.map((l) => ({ amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency })), intent.currency);
  return {
    id: intent.idempotency.orderId,
    customerId: intent.customerId,
    email: intent.email,
    shippingAddress: intent.shippingAddress,
    total,
    cartId: intent.cartId,
    reservationId,
    paymentToken: intent.paymentToken,
    lines,
    createdAt: now,
  };
}

const placedEvent = (order: Omit<Order, 'status' | 'updatedAt'>): OrderPlaced => ({
  orderId: order.id,
  customerId: order.customerId,
  total: order.total,
  paymentToken: order.paymentToken,
  reservationId: order.reservationId,
});
