import type { CatalogReadCache } from './catalog-read-cache.js';
import type { PublicProduct } from './contract/catalog-api.js';
import { readAvailability, toPublicProduct, type AvailabilityReader } from './product-view.js';

export type GetProductResult = { ok: true; product: PublicProduct } | { ok: false; code: 'CATALOG_PRODUCT_NOT_FOUND' };

export interface GetProductDeps {
  cache: CatalogReadCache;
  inventory: AvailabilityReader;
}

/**
 * The product page: the product from the short-lived read cache, its stock from `inventory`, which
 * for shoppers is the sub-second availability cache (cached-availability.ts).
 */
export const makeGetProduct = ({ cache, inventory }: GetProductDeps) =>
  async (idOrSlug: string): Promise<GetProductResult> => {
    const product = await cache.product(idOrSlug);
    // archived products stay in the database for orders that reference them, but shoppers cannot find them
    if (!product || product.status !== 'active') return { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
    const availability = await readAvailability(inventory, [product]);
    return { ok: true, product: toPublicProduct(product, availability) };
  };
