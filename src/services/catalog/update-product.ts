import type { CatalogReadCache } from './catalog-read-cache.js';
import type { AdminProduct } from './contract/catalog-api.js';
import { readAvailability, toAdminProduct, type AvailabilityReader } from './product-view.js';
import type { CatalogStore, ProductPatch, UpdateProductResult } from './storage/catalog-store.js';

export type UpdateProductOutcome = { ok: true; product: AdminProduct } | Exclude<UpdateProductResult, { ok: true }>;

export interface UpdateProductDeps {
  store: CatalogStore;
  cache: CatalogReadCache;
  inventory: AvailabilityReader;
}

/** Name, description, category and variant titles/prices; prices stay in the product's currency. */
export const makeUpdateProduct = ({ store, cache, inventory }: UpdateProductDeps) =>
  async (id: string, patch: ProductPatch): Promise<UpdateProductOutcome> => {
    const result = await store.updateProduct(id, patch);
    if (!result.ok) return result;
    // this process sees the change at once; other processes once their cache entries expire (the cache TTL)
    cache.productChanged(result.product);
    const availability = await readAvailability(inventory, [result.product]);
    return { ok: true, product: toAdminProduct(result.product, availability) };
  };
