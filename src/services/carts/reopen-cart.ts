import type { CartStore } from './storage/cart-store.js';

/** Gives the cart back to its owner when the order that claimed it could not be placed. */
export const makeReopenCart =
  ({ store }: { store: CartStore }) =>
  (cartId: string, orderId: string): Promise<void> =>
    store.reopen(cartId, orderId);
