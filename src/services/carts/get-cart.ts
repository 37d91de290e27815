import { loadVariants, priceCart, type CartView, type VariantSource } from './priced-cart.js';
import type { CartStore } from './storage/cart-store.js';

export type GetCartResult = { ok: true; cart: CartView } | { ok: false; code: 'CART_NOT_FOUND' };

/** The owner's cart at current prices; a stranger's cart reads exactly like an unknown one. */
export const makeGetCart =
  ({ store, catalog }: { store: CartStore; catalog: VariantSource }) =>
  async ({ cartId, ownerId }: { cartId: string; ownerId: string }): Promise<GetCartResult> => {
    const cart = await store.findForOwner(cartId, ownerId);
    if (!cart) return { ok: false, code: 'CART_NOT_FOUND' };
    return { ok: true, cart: priceCart(cart, await loadVariants(catalog, cart.items.map((i) => i.variantId))) };
  };
