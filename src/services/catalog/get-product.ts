import type { CatalogReadCache } from './catalog-read-cache.js';
import type { PublicProduct } from './contract/catalog-api.js';
import { readAvailability, toPublicProduct, type AvailabilityReader } from './product-view.js';
import type { ProductRecord } from './storage/catalog-store.js';

export type GetProductResult =
  | { ok: true; product: PublicProduct; record: ProductRecord; availability: Map<string, number> }
  | { ok: false; code: 'CATALOG_PRODUCT_NOT_FOUND' };

export interface GetProductDeps {
  cache: CatalogReadCache;
  inventory: AvailabilityReader;
}

/**
 * The product page: the product from the store (or `known`: the record a page was made from, which no admin
 * write has changed since, see catalog-pages.ts), its stock from `inventory`, which for shoppers is the
 * sub-second availability cache (cached-availability.ts). The record and the figures come back with the page,
 * so the page can be refreshed for its stock alone.
 */
export const makeGetProduct = ({ cache, inventory }: GetProductDeps) =>
  async (idOrSlug: string, known?: ProductRecord): Promise<GetProductResult> => {
    const product = known ?? (await cache.product(idOrSlug));
    // archived products stay in the database for orders that reference them, but shoppers cannot find them
    if (!product || product.status !== 'active') return { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
    const availability = await readAvailability(inventory, [product]);
    return { ok: true, product: toPublicProduct(product, availability), record: product, availability };
  };
