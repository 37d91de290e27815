import { sumMoney } from '../../platform/money.js';
import type { CheckoutCartLine, CheckoutCartResult } from './contract/carts-client.js';
import { isBuyable, loadVariants, type VariantSource } from './priced-cart.js';
import type { CartStore } from './storage/cart-store.js';

/**
 * The owner's open cart priced now, or the reason it cannot be checked out. A cart already checked
 * out by `orderId` is answered too: that order's checkout crashed half-way and its retry resumes it.
 */
export const makeGetCartForCheckout =
  ({ store, catalog }: { store: CartStore; catalog: VariantSource }) =>
  async (cartId: string, ownerId: string, options: { orderId?: string } = {}): Promise<CheckoutCartResult> => {
    const cart = await store.findForOwner(cartId, ownerId);
    if (!cart) return { ok: false, code: 'CART_NOT_FOUND' };
    const resuming = cart.status === 'checked_out' && options.orderId !== undefined && cart.orderId === options.orderId;
    if (cart.status !== 'open' && !resuming) return { ok: false, code: 'CART_ALREADY_CHECKED_OUT', ...(cart.orderId ? { orderId: cart.orderId } : {}) };
    const first = cart.items[0];
    if (!first) return { ok: false, code: 'CART_EMPTY' };
    const variants = await loadVariants(catalog, cart.items.map((i) => i.variantId));
    // a cart with lines always has its currency; the fallback only guards rows written by hand
    const currency = cart.currency ?? variants.get(first.variantId)?.price.currency;
    if (!currency) return { ok: false, code: 'CART_ITEM_UNAVAILABLE', variantId: first.variantId };
    const items: CheckoutCartLine[] = [];
    for (const item of cart.items) {
      const variant = variants.get(item.variantId);
      if (!isBuyable(variant, currency)) return { ok: false, code: 'CART_ITEM_UNAVAILABLE', variantId: item.variantId };
      items.push({
        id: item.id,
        variantId: item.variantId,
        sku: variant.sku,
        title: variant.title ? `${variant.productName} — ${variant.title}` : variant.productName,
        quantity: item.quantity,
        unitPrice: variant.price,
        lineTotal: { amount: variant.price.amount * item.quantity, currency },
      });
    }
    return { ok: true, cart: { id: cart.id, ownerId: cart.ownerId, items, subtotal: sumMoney(items.map((i) => i.lineTotal), currency) } };
  };
