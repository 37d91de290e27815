import { loadVariants, priceCart, type CartView, type VariantSource } from './priced-cart.js';
import type { CartChangeFailure, CartStore } from './storage/cart-store.js';

export type ChangeCartItemQuantityResult = { ok: true; cart: CartView } | { ok: false; code: CartChangeFailure };

/** Sets a line's quantity (not adds to it): what a quantity picker in a cart page sends. */
export const makeChangeCartItemQuantity =
  ({ store, catalog }: { store: CartStore; catalog: VariantSource }) =>
  async (input: { cartId: string; ownerId: string; itemId: string; quantity: number }): Promise<ChangeCartItemQuantityResult> => {
    const changed = await store.setItemQuantity(input);
    if (!changed.ok) return changed;
    return { ok: true, cart: priceCart(changed.cart, await loadVariants(catalog, changed.cart.items.map((i) => i.variantId))) };
  };
