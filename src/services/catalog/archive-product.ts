import type { CatalogReadCache } from './catalog-read-cache.js';
import type { AdminProduct } from './contract/catalog-api.js';
import { readAvailability, toAdminProduct, type AvailabilityReader } from './product-view.js';
import type { CatalogStore } from './storage/catalog-store.js';

export type ArchiveProductResult = { ok: true; product: AdminProduct } | { ok: false; code: 'CATALOG_PRODUCT_NOT_FOUND' };

export interface ArchiveProductDeps {
  store: CatalogStore;
  cache: CatalogReadCache;
  inventory: AvailabilityReader;
}

/**
 * Archiving hides a product from shoppers and makes its variants unpurchasable (carts see
 * purchasable: false), but keeps the rows: orders placed earlier still point at them. Idempotent.
 */
export const makeArchiveProduct = ({ store, cache, inventory }: ArchiveProductDeps) =>
  async (id: string): Promise<ArchiveProductResult> => {
    const product = await store.archiveProduct(id);
    if (!product) return { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
    cache.productChanged(product);
    const availability = await readAvailability(inventory, [product]);
    return { ok: true, product: toAdminProduct(product, availability) };
  };
