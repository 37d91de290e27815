import type { Money } from '../../platform/money.js';
import type { CatalogClient, VariantSnapshot } from '../catalog/contract/catalog-client.js';
import type { CartRecord } from './storage/cart-store.js';

/** What an empty cart that has not chosen a currency yet reports its zero subtotal in. */
export const DISPLAY_CURRENCY = 'USD';

export interface CartLineView {
  id: string;
  variantId: string;
  sku: string | null;
  title: string | null;
  productName: string | null;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  /** false when the variant was archived or removed since it was added: it cannot be checked out */
  available: boolean;
}

export interface CartView {
  id: string;
  status: CartRecord['status'];
  items: CartLineView[];
  subtotal: Money;
}

export type VariantsById = Map<string, VariantSnapshot>;

/**
 * Where a use case's prices come from: the catalog itself for checkout (getVariants, as it is now), its
 * cached snapshots for cart answers (cached-variants.ts over getVariantsCached).
 */
export type VariantSource = Pick<CatalogClient, 'getVariants'>;

/** One catalog call for every variant a request needs. */
export async function loadVariants(catalog: VariantSource, variantIds: readonly string[]): Promise<VariantsById> {
  if (variantIds.length === 0) return new Map();
  const snapshots = await catalog.getVariants([...new Set(variantIds)]);
  return new Map(snapshots.map((v) => [v.id, v]));
}

/** A line can be bought when its variant is purchasable and priced in the cart's currency. */
export const isBuyable = (variant: VariantSnapshot | undefined, currency: string): variant is VariantSnapshot =>
  variant !== undefined && variant.purchasable && variant.price.currency === currency;

/**
 * Prices every line at the current catalog price. Lines that can no longer be bought stay visible
 * (so the customer sees what happened and can remove them) but do not count in the subtotal.
 */
export function priceCart(cart: CartRecord, variants: VariantsById): CartView {
  const currency = cart.currency ?? DISPLAY_CURRENCY;
  const items = cart.items.map((item): CartLineView => {
    const variant = variants.get(item.variantId);
    const available = isBuyable(variant, currency);
    const unitPrice = variant?.price ?? { amount: 0, currency };
    return {
      id: item.id,
      variantId: item.variantId,
      sku: variant?.sku ?? null,
      title: variant?.title ?? null,
      productName: variant?.productName ?? null,
      quantity: item.quantity,
      unitPrice,
      lineTotal: { amount: unitPrice.amount * item.quantity, currency: unitPrice.currency },
      available,
    };
  });
  const amount = items.reduce((total, line) => (line.available ? total + line.lineTotal.amount : total), 0);
  return { id: cart.id, status: cart.status, items, subtotal: { amount, currency } };
}
