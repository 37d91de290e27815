import { uuidv7 } from 'uuidv7';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import { loadVariants, priceCart, type CartView } from './priced-cart.js';
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

/** Adds units of a purchasable variant; the same variant again grows its line (still within the limits). */
export const makeAddCartItem =
  ({ store, catalog }: { store: CartStore; catalog: CatalogClient }) =>
  async ({ cartId, ownerId, variantId, quantity }: AddCartItemInput): Promise<AddCartItemResult> => {
    const cart = await store.findForOwner(cartId, ownerId);
    if (!cart) return { ok: false, code: 'CART_NOT_FOUND' };
    if (cart.status !== 'open') return { ok: false, code: 'CART_CHECKED_OUT' };
    // one catalog call prices the new line and every existing one
    const variants = await loadVariants(catalog, [variantId, ...cart.items.map((i) => i.variantId)]);
    const variant = variants.get(variantId);
    if (!variant?.purchasable) return { ok: false, code: 'VARIANT_UNAVAILABLE' };
    const variantCurrency = variant.price.currency;
    if (cart.currency && cart.currency !== variantCurrency) return { ok: false, code: 'CURRENCY_MISMATCH', cartCurrency: cart.currency, variantCurrency };

    const changed = await store.addItem({ cartId, ownerId, itemId: uuidv7(), variantId, quantity, currency: variantCurrency });
    if (changed.ok) return { ok: true, cart: priceCart(changed.cart, variants) };
    if (changed.code === 'CURRENCY_MISMATCH') {
      // another request fixed the currency between our read and our write
      const now = await store.findForOwner(cartId, ownerId);
      return { ok: false, code: 'CURRENCY_MISMATCH', cartCurrency: now?.currency ?? 'another currency', variantCurrency };
    }
    if (changed.code === 'ITEM_NOT_FOUND') throw new Error('addItem never answers ITEM_NOT_FOUND');
    return { ok: false, code: changed.code };
  };
