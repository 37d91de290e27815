import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import type { AdminProduct, PublicProduct } from './contract/catalog-api.js';
import { CatalogErrors } from './errors.js';
import type { ProductRecord } from './storage/catalog-store.js';

export type AvailabilityReader = Pick<InventoryClient, 'available'>;

/**
 * Stock for every variant of every product given, in ONE call: a page of 20 products must not
 * cost 20 round trips to inventory. Whether the figures may be a moment old is the reader's
 * business: shoppers get the sub-second cache (cached-availability.ts), admins read inventory.
 */
export async function readAvailability(inventory: AvailabilityReader, products: readonly ProductRecord[]): Promise<Map<string, number>> {
  const ids = products.flatMap((p) => p.variants.map((v) => v.id));
  if (ids.length === 0) return new Map();
  try {
    return await inventory.available(ids);
  } catch {
    // answering "0 available" would tell shoppers a product is sold out; saying "retry" is honest
    throw CatalogErrors.availabilityUnavailable();
  }
}

/** Shoppers see active variants only. */
export const toPublicProduct = (p: ProductRecord, availability: Map<string, number>): PublicProduct => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  categoryId: p.categoryId,
  variants: p.variants
    .filter((v) => v.status === 'active')
    .map((v) => ({ id: v.id, sku: v.sku, title: v.title, price: v.price, available: availability.get(v.id) ?? 0 })),
});

export const toAdminProduct = (p: ProductRecord, availability: Map<string, number>): AdminProduct => ({
  ...toPublicProduct(p, availability),
  status: p.status,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  variants: p.variants.map((v) => ({ id: v.id, sku: v.sku, title: v.title, price: v.price, available: availability.get(v.id) ?? 0, status: v.status })),
});
