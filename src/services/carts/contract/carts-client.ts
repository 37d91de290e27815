import type { Money } from '../../../platform/money.js';

export interface CheckoutCartLine {
  id: string;
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  /** current catalog price at the moment of checkout */
  unitPrice: Money;
  lineTotal: Money;
}

export interface CheckoutCart {
  id: string;
  ownerId: string;
  items: CheckoutCartLine[];
  subtotal: Money;
}

export type CheckoutCartResult =
  | { ok: true; cart: CheckoutCart }
  | { ok: false; code: 'CART_NOT_FOUND' | 'CART_EMPTY' | 'CART_ITEM_UNAVAILABLE'; variantId?: string }
  /** `orderId`: the order id that checked it out, which may be an attempt whose order was never written */
  | { ok: false; code: 'CART_ALREADY_CHECKED_OUT'; orderId?: string };

export interface CartsClient {
  /**
   * The owner's cart priced for checkout; another owner's cart is CART_NOT_FOUND. A checked-out
   * cart is CART_ALREADY_CHECKED_OUT, unless `orderId` is the order that checked it out: that
   * order's checkout is resuming after a crash (its retry), and gets the cart as it was claimed.
   * The refusal names the order id holding the cart, so checkout can tell a finished order from
   * an attempt still running or being undone.
   */
  getForCheckout(cartId: string, ownerId: string, options?: { orderId?: string }): Promise<CheckoutCartResult>;
  /**
   * Claims the cart for one order (conditional update), so two checkouts of one cart cannot both
   * succeed; idempotent for the same order id.
   */
  markCheckedOut(cartId: string, orderId: string): Promise<{ ok: true } | { ok: false; code: 'CART_ALREADY_CHECKED_OUT' }>;
  /** undoes markCheckedOut when the order could not be placed (no stock); no-op for another order id */
  reopen(cartId: string, orderId: string): Promise<void>;
}
