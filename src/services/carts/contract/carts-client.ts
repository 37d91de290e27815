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
  | { ok: false; code: 'CART_NOT_FOUND' | 'CART_EMPTY' | 'CART_ALREADY_CHECKED_OUT' | 'CART_ITEM_UNAVAILABLE'; variantId?: string };

export interface CartsClient {
  /** the owner's cart priced for checkout; another owner's cart is CART_NOT_FOUND */
  getForCheckout(cartId: string, ownerId: string): Promise<CheckoutCartResult>;
  /** closes the cart so it cannot be checked out twice; idempotent for the same order */
  markCheckedOut(cartId: string, orderId: string): Promise<void>;
}
