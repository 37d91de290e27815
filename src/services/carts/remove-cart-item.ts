import { loadVariants, priceCart, type CartView, type VariantSource } from './priced-cart.js';
import type { CartChangeFailure, CartStore } from './storage/cart-store.js';

export type RemoveCartItemResult = { ok: true; cart: CartView } | { ok: false; code: CartChangeFailure };

export const makeRemoveCartItem =
  ({ store, catalog }: { store: CartStore; catalog: VariantSource }) =>
  async (input: { cartId: string; ownerId: string; itemId: string }): Promise<RemoveCartItemResult> => {
    const changed = await store.removeItem(input);
    if (!changed.ok) return changed;
    return { ok: true, cart: priceCart(changed.cart, await loadVariants(catalog, changed.cart.items.map((i) => i.variantId))) };
  };
