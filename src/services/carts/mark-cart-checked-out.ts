import type { CartStore } from './storage/cart-store.js';

/**
 * Claims the cart for one order: of two checkouts racing for one cart, only one can place an order.
 * An unknown cart cannot be claimed either, and answers the same refusal.
 */
export const makeMarkCartCheckedOut =
  ({ store }: { store: CartStore }) =>
  async (cartId: string, orderId: string): Promise<{ ok: true } | { ok: false; code: 'CART_ALREADY_CHECKED_OUT' }> =>
    (await store.markCheckedOut(cartId, orderId)) ? { ok: true } : { ok: false, code: 'CART_ALREADY_CHECKED_OUT' };
