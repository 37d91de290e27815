import { createMemoryCache } from '../../platform/cache/memory-cache.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { looksLikeUuid } from './catalog-ids.js';
import type { CatalogStore, CategoryRecord, ProductListQuery, ProductPage, ProductRecord } from './storage/catalog-store.js';

export interface CatalogReadCacheOptions {
  store: CatalogStore;
  metrics?: Metrics;
  /**
   * How stale a product page, list page or the category list may be in ANOTHER process after an
   * admin change (this process sees the change at once). Short, because prices change; long enough
   * that a hot page costs one query per interval however many requests it gets.
   */
  ttlMs?: number;
  maxProducts?: number;
  /** list and search pages kept; each holds up to `limit` products with their variants */
  maxListPages?: number;
}

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

/**
 * Process-local (L1) cache for product pages, list/search pages and the category list, one
 * platform memory cache per purpose (`floodgate_cache_requests_total{cache="catalog-…"}`).
 * Concurrent misses for one key share one query, so a product or a search going viral costs one
 * query per TTL, not one per request. Availability is never cached here: it changes with every
 * sale and has its own, much shorter cache (cached-availability.ts).
 *
 * Admin writes reach only this process's caches; other processes serve the old answer until their
 * entries expire, i.e. for at most `ttlMs` (the price of not needing a cross-process invalidation bus).
 */
export function createCatalogReadCache({ store, metrics, ttlMs = 2_000, maxProducts = 10_000, maxListPages = 2_000 }: CatalogReadCacheOptions): CatalogReadCache {
  const withMetrics = metrics ? { metrics } : {};
  const products = createMemoryCache<ProductRecord | undefined>({ name: 'catalog-product', max: maxProducts, ttlMs, ...withMetrics });
  const lists = createMemoryCache<ProductPage>({ name: 'catalog-list', max: maxListPages, ttlMs, ...withMetrics });
  const categories = createMemoryCache<CategoryRecord[]>({ name: 'catalog-categories', max: 4, ttlMs, ...withMetrics });

  // clear() also detaches loads in flight, so a request arriving after an admin write never joins
  // a load that began before it
  const dropLists = () => lists.clear();

  return {
    product: (idOrSlug) =>
      products.getOrLoad(productKey(idOrSlug), () => (looksLikeUuid(idOrSlug) ? store.findProductById(idOrSlug) : store.findProductBySlug(idOrSlug))),
    categories: () => categories.getOrLoad('categories', () => store.listCategories()),
    productPage: (query) => lists.getOrLoad(listKey(query), () => store.listProducts(query)),
    productChanged(product) {
      // write-through rather than delete: the next read in this process (often the admin checking
      // their edit) gets the new record without a query, even if an older load is still in flight;
      // this also replaces a cached "not found" for a slug a new product has just taken
      products.set(productKey(product.id), product);
      products.set(productKey(product.slug), product);
      // any page may contain the product, or now should (new price, category, name): drop them all;
      // admin writes are rare next to reads, so the refill costs little
      dropLists();
    },
    categoriesChanged() {
      categories.clear();
      // a list filtered by the new category's slug may have been cached as empty
      dropLists();
    },
  };
}
