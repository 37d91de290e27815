import type { Logger } from 'pino';
import { sumMoney } from '../../platform/money.js';
import type { BackgroundRetries } from '../../platform/resilience/background-retries.js';
import type { CartsClient, CheckoutCart, CheckoutCartResult } from '../carts/contract/carts-client.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { OrderEvents, type OrderPlaced } from './contract/events.js';
import type { IdempotencyClaim, SavedResponse } from './idempotency/idempotency-store.js';
import { IdempotencyClaimLost, type Order, type OrderStore, type ShippingAddress } from './storage/order-store.js';

export interface PlaceOrderDeps {
  carts: CartsClient;
  inventory: InventoryClient;
  store: OrderStore;
  logger: Logger;
  clock: () => Date;
  /** how long the stock is held for payment */
  reservationTtlMs: number;
  /** after the commit, so the relay hands order.placed to payments now instead of on its next poll */
  onEventsWritten: () => void;
  /** where the undo of a failed checkout goes when it fails itself (the database is what failed) */
  compensations: BackgroundRetries;
}

export interface PlaceOrderInput {
  customerId: string;
  cartId: string;
  email: string | null;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  /**
   * this request's claim on its idempotency key; the 202 is saved under it in the order's commit.
   * Its `orderId` is the order placed: the same for a retry that took over a crashed request's claim.
   */
  idempotency: IdempotencyClaim;
}

export type PlaceOrderFailure =
  | { ok: false; code: 'CHECKOUT_CART_NOT_FOUND' | 'CHECKOUT_CART_EMPTY' | 'CHECKOUT_CART_ALREADY_CHECKED_OUT'; cartId: string }
  | { ok: false; code: 'CHECKOUT_ITEM_UNAVAILABLE'; variantId?: string }
  | { ok: false; code: 'CHECKOUT_INSUFFICIENT_STOCK'; variantId: string; available: number }
  | { ok: false; code: 'CHECKOUT_HOLD_EXPIRED'; cartId: string };

export type PlaceOrderResult = { ok: true; orderId: string; response: SavedResponse } | PlaceOrderFailure;

/** The acknowledgement: the order is durable and will reach a final status on its own. */
export const acceptedResponse = (orderId: string): SavedResponse => ({ status: 202, body: { orderId, status: 'pending' } });

/**
 * Checkout: claim the cart, hold the stock, then write the order, its `order.placed` event and
 * the saved 202 in one transaction. Payment happens afterwards, driven by the event.
 *
 * Every step is idempotent for the order id, which comes with the idempotency claim: when a
 * process dies after claiming the cart or holding the stock, the retry that takes its claim over
 * finds the cart checked out by this very order and the hold already made, and finishes the order.
 */
export const makePlaceOrder =
  ({ carts, inventory, store, clock, reservationTtlMs, onEventsWritten, compensations }: PlaceOrderDeps) =>
  async (input: PlaceOrderInput): Promise<PlaceOrderResult> => {
    const { orderId } = input.idempotency;
    // a cart checked out by this order id is the one a crashed attempt of this request claimed
    const found = await carts.getForCheckout(input.cartId, input.customerId, { orderId });
    if (!found.ok) return cartFailure(found, input.cartId);
    const cart = found.cart;
    if (cart.items.length === 0) return { ok: false, code: 'CHECKOUT_CART_EMPTY', cartId: cart.id };

    // the cart is claimed for this order first, so two checkouts of one cart cannot both hold stock
    const claimed = await carts.markCheckedOut(cart.id, orderId);
    if (!claimed.ok) return { ok: false, code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT', cartId: cart.id };

    let reservationId: string | undefined;
    try {
      const lines = cart.items.map(({ variantId, quantity }) => ({ variantId, quantity }));
      // a retry gets the hold its crashed attempt made, not a second one
      const hold = await inventory.reserve({ reference: orderId, lines, ttlMs: reservationTtlMs });
      if (!hold.ok) {
        await carts.reopen(cart.id, orderId);
        // a retry that comes after its crashed attempt's hold ran out: placing the order on a hold
        // that holds nothing would charge the customer only to refund them; they start over instead
        if (hold.code === 'INVENTORY_RESERVATION_RELEASED') return { ok: false, code: 'CHECKOUT_HOLD_EXPIRED', cartId: cart.id };
        return { ok: false, code: 'CHECKOUT_INSUFFICIENT_STOCK', variantId: hold.variantId, available: hold.available };
      }
      reservationId = hold.reservationId;
      const order = newOrder(input, cart, orderId, reservationId, clock());
      await store.insertPlaced({
        order,
        event: { type: OrderEvents.placed, payload: placedEvent(order) },
        idempotency: { claim: input.idempotency, response: acceptedResponse(orderId) },
      });
    } catch (err) {
      // our lock lapsed and a retry took the claim over: it runs this same order id on this cart
      // and this hold, so undoing them here would pull them from under the order it places (and
      // if it was the abandoned-checkout sweeper instead, it gives the cart back; the hold expires)
      if (err instanceof IdempotencyClaimLost) throw err;
      // nothing was acknowledged: hand the units and the cart back, so the client's retry starts clean
      const heldId = reservationId;
      const undo = async () => {
        if (heldId) await inventory.release(heldId, 'checkout_failed');
        await carts.reopen(cart.id, orderId);
      };
      // the database is often what failed, and then the undo fails too: it is retried in the
      // background for as long as our claim on the key is locked. Within the lock nobody else can
      // act for this order id; past it a retry of the key resumes the order on this very hold and
      // cart, or, if none comes, the hold expires and the abandoned-checkout sweeper reopens the cart
      try {
        await undo();
      } catch {
        void compensations.run({
          what: 'undo a failed checkout',
          run: undo,
          forMs: input.idempotency.lockedUntil.getTime() - clock().getTime(),
          context: { orderId, reservationId: heldId, cartId: cart.id },
          fallback: 'a retry of its key resumes it, else its hold expires and the sweeper reopens its cart',
        });
      }
      throw err;
    }
    onEventsWritten();
    return { ok: true, orderId, response: acceptedResponse(orderId) };
  };

function cartFailure(result: Extract<CheckoutCartResult, { ok: false }>, cartId: string): PlaceOrderFailure {
  switch (result.code) {
    case 'CART_NOT_FOUND':
      return { ok: false, code: 'CHECKOUT_CART_NOT_FOUND', cartId };
    case 'CART_EMPTY':
      return { ok: false, code: 'CHECKOUT_CART_EMPTY', cartId };
    case 'CART_ALREADY_CHECKED_OUT':
      return { ok: false, code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT', cartId };
    case 'CART_ITEM_UNAVAILABLE':
      return { ok: false, code: 'CHECKOUT_ITEM_UNAVAILABLE', ...(result.variantId ? { variantId: result.variantId } : {}) };
  }
}

function newOrder(input: PlaceOrderInput, cart: CheckoutCart, id: string, reservationId: string, now: Date): Omit<Order, 'status' | 'updatedAt'> {
  const lines = cart.items.map((item, i) => ({
    lineNo: i + 1,
    variantId: item.variantId,
    sku: item.sku,
    title: item.title,
    quantity: item.quantity,
    unitPrice: item.unitPrice,
  }));
  // priced from unit prices, not from the cart's totals: the order is its own record of what was sold
  const total = sumMoney(lines.map((l) => ({ amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency })), cart.subtotal.currency);
  return {
    id,
    customerId: input.customerId,
    email: input.email,
    shippingAddress: input.shippingAddress,
    total,
    cartId: cart.id,
    reservationId,
    paymentToken: input.paymentToken,
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
