import { newId } from '../../platform/ids.js';
import { loadVariants, priceCart, type CartView, type VariantSource } from './priced-cart.js';
import type { CartChangeFailure, CartStore } from './storage/cart-store.js';

export interface AddCartItemInput {
  cartId: string;
  ownerId: string;
  variantId: string;
  quantity: number;
}

export type AddCartItemResult =
  | { ok: true; cart: CartView }
  | { ok: false; code: 'CURRENCY_MISMATCH'; cartCurrency: string; variantCurrency: string }
  | { ok: false; code: Exclude<CartChangeFailure, 'CURRENCY_MISMATCH' | 'ITEM_NOT_FOUND'> | 'VARIANT_UNAVAILABLE' };

/**
 * Adds units of a purchasable variant; the same variant again grows its line (still within the limits).
 * The change itself checks the owner, the open status, the currency and the limits in one atomic step, so a
 * successful add is one store call: the cart is read first only when the answer is a refusal that must name
 * something the change did not (an unknown cart comes before an unavailable variant; a mismatch names the cart's
 * currency). On the Redis working copy that is one round trip per add instead of two.
 */
export const makeAddCartItem =
  ({ store, catalog }: { store: CartStore; catalog: VariantSource }) =>
  async ({ cartId, ownerId, variantId: given, quantity }: AddCartItemInput): Promise<AddCartItemResult> => {
    // a uuid names one variant in either case: the line keeps the catalog's (lower-case) spelling, so the same
    // variant added in two spellings is one line, priced and reserved as such
    const variantId = given.toLowerCase();
    const variants = await loadVariants(catalog, [variantId]);
    const variant = variants.get(variantId);
    if (!variant?.purchasable) {
      const cart = await store.findForOwner(cartId, ownerId);
      if (!cart) return { ok: false, code: 'CART_NOT_FOUND' };
      if (cart.status !== 'open') return { ok: false, code: 'CART_CHECKED_OUT' };
      return { ok: false, code: 'VARIANT_UNAVAILABLE' };
    }
    const variantCurrency = variant.price.currency;

    const changed = await store.addItem({ cartId, ownerId, itemId: newId(), variantId, quantity, currency: variantCurrency });
    if (changed.ok) {
      // the cart's other lines are priced too (a second catalog call, unless the variant cache holds them)
      const others = changed.cart.items.map((i) => i.variantId).filter((id) => !variants.has(id));
      if (others.length > 0) for (const [id, v] of await loadVariants(catalog, others)) variants.set(id, v);
      return { ok: true, cart: priceCart(changed.cart, variants) };
    }
    if (changed.code === 'CURRENCY_MISMATCH') {
      const now = await store.findForOwner(cartId, ownerId);
      return { ok: false, code: 'CURRENCY_MISMATCH', cartCurrency: now?.currency ?? 'another currency', variantCurrency };
    }
    if (changed.code === 'ITEM_NOT_FOUND') throw new Error('addItem never answers ITEM_NOT_FOUND');
    return { ok: false, code: changed.code };
  };
