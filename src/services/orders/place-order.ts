import type { CartsClient, CheckoutCartResult } from '../carts/contract/carts-client.js';
import type { IdempotencyClaim, SavedResponse } from './idempotency/idempotency-store.js';
import type { makeRecordOrder } from './record-order.js';
import type { ShippingAddress } from './storage/order-store.js';
import type { UndoFailedCheckout } from './undo-failed-checkout.js';

export interface PlaceOrderDeps {
  carts: CartsClient;
  /** holds the stock and writes the order (record-order.ts) */
  recordOrder: ReturnType<typeof makeRecordOrder>;
  /** whether an order with this id was written (the orders store) */
  orderExists: (orderId: string) => Promise<boolean>;
  /** gives the cart back when its claim failed and may have landed (undo-failed-checkout.ts) */
  undoFailedCheckout: UndoFailedCheckout;
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
  | { ok: false; code: 'CHECKOUT_CART_NOT_FOUND' | 'CHECKOUT_CART_EMPTY' | 'CHECKOUT_CART_ALREADY_CHECKED_OUT' | 'CHECKOUT_CART_BUSY'; cartId: string }
  | { ok: false; code: 'CHECKOUT_ITEM_UNAVAILABLE'; variantId?: string }
  | { ok: false; code: 'CHECKOUT_INSUFFICIENT_STOCK'; variantId: string; available: number }
  | { ok: false; code: 'CHECKOUT_HOLD_EXPIRED'; cartId: string };

export type PlaceOrderResult = { ok: true; orderId: string; response: SavedResponse } | PlaceOrderFailure;

/**
 * Checkout from a cart: claim the cart, then hold its stock and write the order (record-order.ts).
 *
 * Every step is idempotent for the order id, which comes with the idempotency claim: when a
 * process dies after claiming the cart or holding the stock, the retry that takes its claim over
 * finds the cart checked out by this very order and the hold already made, and finishes the order.
 */
export const makePlaceOrder =
  ({ carts, recordOrder, orderExists, undoFailedCheckout }: PlaceOrderDeps) =>
  async (input: PlaceOrderInput): Promise<PlaceOrderResult> => {
    const { orderId } = input.idempotency;
    // a cart checked out by this order id is the one a crashed attempt of this request claimed
    const found = await carts.getForCheckout(input.cartId, input.customerId, { orderId });
    if (!found.ok) return found.code === 'CART_ALREADY_CHECKED_OUT' ? heldBy(orderExists, found.orderId, input.cartId) : cartFailure(found, input.cartId);
    const cart = found.cart;
    if (cart.items.length === 0) return { ok: false, code: 'CHECKOUT_CART_EMPTY', cartId: cart.id };

    // the cart is claimed for this order first, so two checkouts of one cart cannot both hold stock
    const giveBack = () => carts.reopen(cart.id, orderId);
    const fallback = 'a retry of its key resumes it, else its hold expires and the sweeper reopens its cart';
    let claimed: Awaited<ReturnType<CartsClient['markCheckedOut']>>;
    try {
      claimed = await carts.markCheckedOut(cart.id, orderId);
    } catch (err) {
      // the claim may have landed though its answer did not (a statement sent to a frozen database runs
      // when it thaws): left so, the cart would stay checked out by an order id that never became an order
      await undoFailedCheckout(err, { idempotency: input.idempotency, undo: giveBack, context: { cartId: cart.id }, fallback });
      throw err;
    }
    if (!claimed.ok) {
      // another checkout claimed it between the read and the claim: read who holds it
      const now = await carts.getForCheckout(cart.id, input.customerId);
      if (!now.ok && now.code === 'CART_ALREADY_CHECKED_OUT') return heldBy(orderExists, now.orderId, cart.id);
      // given back meanwhile: a retry finds it open
      return { ok: false, code: 'CHECKOUT_CART_BUSY', cartId: cart.id };
    }

    const recorded = await recordOrder({
      ...input,
      cartId: cart.id,
      lines: cart.items.map(({ variantId, sku, title, quantity, unitPrice }) => ({ variantId, sku, title, quantity, unitPrice })),
      currency: cart.subtotal.currency,
      giveBack,
      context: { cartId: cart.id },
      fallback,
    });
    if (recorded.ok) return recorded;
    const { refused } = recorded;
    // a retry that comes after its crashed attempt's hold ran out: placing the order on a hold
    // that holds nothing would charge the customer only to refund them; they start over instead
    if (refused.code === 'INVENTORY_INSUFFICIENT') return { ok: false, code: 'CHECKOUT_INSUFFICIENT_STOCK', variantId: refused.variantId, available: refused.available };
    return { ok: false, code: 'CHECKOUT_HOLD_EXPIRED', cartId: cart.id };
  };

/**
 * A cart checked out by an order id that has no order is held by an attempt that is still running,
 * or that failed half-way and whose undo (the cart's reopen, in background retries) has not landed
 * yet, or whose process died (its retry resumes it, else the sweeper reopens the cart). Nothing was
 * sold, so the shopper is told to retry: "already checked out" would turn them away for good.
 */
async function heldBy(orderExists: PlaceOrderDeps['orderExists'], holder: string | undefined, cartId: string): Promise<PlaceOrderFailure> {
  if (holder !== undefined && !(await orderExists(holder))) return { ok: false, code: 'CHECKOUT_CART_BUSY', cartId };
  return { ok: false, code: 'CHECKOUT_CART_ALREADY_CHECKED_OUT', cartId };
}

function cartFailure(result: Exclude<CheckoutCartResult, { ok: true } | { code: 'CART_ALREADY_CHECKED_OUT' }>, cartId: string): PlaceOrderFailure {
  switch (result.code) {
    case 'CART_NOT_FOUND':
      return { ok: false, code: 'CHECKOUT_CART_NOT_FOUND', cartId };
    case 'CART_EMPTY':
      return { ok: false, code: 'CHECKOUT_CART_EMPTY', cartId };
    case 'CART_ITEM_UNAVAILABLE':
      return { ok: false, code: 'CHECKOUT_ITEM_UNAVAILABLE', ...(result.variantId ? { variantId: result.variantId } : {}) };
  }
}
