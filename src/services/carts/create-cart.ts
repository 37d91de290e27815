import { newId } from '../../platform/ids.js';
import { isUuid } from '../../platform/ids.js';
import { priceCart, type CartView } from './priced-cart.js';
import type { CartStore } from './storage/cart-store.js';

export type CreateCartResult = { ok: true; cart: CartView } | { ok: false; code: 'OWNER_UNSUPPORTED' } | { ok: false; code: 'OPEN_CART_LIMIT'; maxOpen: number };

/**
 * A new, empty cart owned by the caller; its currency is fixed now if given, else by its first line. An
 * owner holds at most `maxOpen` open carts (CARTS_MAX_OPEN_PER_CUSTOMER): a script cannot fill the table.
 */
export const makeCreateCart =
  ({ store, maxOpen }: { store: CartStore; maxOpen: number }) =>
  async ({ ownerId, currency }: { ownerId: string; currency?: string | undefined }): Promise<CreateCartResult> => {
    // an API-key principal is not an account and cannot own a cart
    if (!isUuid(ownerId)) return { ok: false, code: 'OWNER_UNSUPPORTED' };
    const cart = await store.createWithinLimit({ id: newId(), ownerId, currency: currency ?? null, maxOpen });
    if (!cart) return { ok: false, code: 'OPEN_CART_LIMIT', maxOpen };
    return { ok: true, cart: priceCart(cart, new Map()) };
  };
