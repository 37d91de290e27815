import { looksLikeUuid } from './catalog-ids.js';
import type { CategoryRecord, ProductListQuery, ProductPage, ProductRecord } from './storage/catalog-store.js';

/**
 * What the catalog's use cases read through and tell about admin writes; createCatalogPageInvalidation
 * (catalog-page-invalidation.ts) implements it over the rendered-page cache.
 */
export interface CatalogReadCache {
  /** any status; undefined when there is no such product */
  product(idOrSlug: string): Promise<ProductRecord | undefined>;
  categories(): Promise<CategoryRecord[]>;
  /** the query must already be normalised (list-products does it): equal queries share one entry */
  productPage(query: ProductListQuery): Promise<ProductPage>;
  /** an admin wrote this product (created, updated, archived): pass the record as stored now */
  productChanged(product: ProductRecord): void;
  /** an admin created a category */
  categoriesChanged(): void;
}

export const productKey = (idOrSlug: string) => (looksLikeUuid(idOrSlug) ? `id:${idOrSlug.toLowerCase()}` : `slug:${idOrSlug}`);

// a fixed field order, so the same query always yields the same key whatever order its fields were set in
export const listKey = (q: ProductListQuery) =>
  JSON.stringify([q.q ?? null, q.category ?? null, q.minPrice ?? null, q.maxPrice ?? null, q.sort, q.limit, q.after ?? null]);

