import { LRUCache } from 'lru-cache';
import { looksLikeUuid } from './catalog-ids.js';
import type { CatalogStore, CategoryRecord, ProductRecord } from './storage/catalog-store.js';

export interface CatalogReadCacheOptions {
  store: CatalogStore;
  /**
   * How stale a product page may be in another process after an admin change (this process
   * invalidates at once). Short, because prices change; long enough that a hot product costs
   * one query per interval however many requests it gets.
   */
  ttlMs?: number;
  maxProducts?: number;
  onLookup?: (cache: 'product' | 'categories', hit: boolean) => void;
}

export interface CatalogReadCache {
  /** any status; undefined when there is no such product */
  product(idOrSlug: string): Promise<ProductRecord | undefined>;
  categories(): Promise<CategoryRecord[]>;
  invalidateProduct(product: { id: string; slug: string }): void;
  invalidateCategories(): void;
}

// lru-cache refuses undefined values; a box lets "no such product" be cached too
interface Entry {
  value: ProductRecord | CategoryRecord[] | undefined;
}

const CATEGORIES_KEY = 'categories';
const productKey = (idOrSlug: string) => (looksLikeUuid(idOrSlug) ? `id:${idOrSlug.toLowerCase()}` : `slug:${idOrSlug}`);

/**
 * Process-local cache for product pages and the category list. Concurrent misses for one key
 * share one query, so a product going viral costs one query per TTL, not one per request.
 * Availability is never cached here: it changes with every sale.
 */
export function createCatalogReadCache({ store, ttlMs = 2_000, maxProducts = 10_000, onLookup }: CatalogReadCacheOptions): CatalogReadCache {
  const entries = new LRUCache<string, Entry>({ max: maxProducts + 1, ttl: ttlMs, ttlAutopurge: false });
  const inflight = new Map<string, Promise<Entry['value']>>();
  // a load that began before an invalidation must not store what it read; invalidations are rare
  // (admin edits), so one counter for all keys costs a few extra misses and never grows
  let generation = 0;

  const load = (key: string, read: () => Promise<Entry['value']>, cache: 'product' | 'categories') => {
    const hit = entries.get(key);
    onLookup?.(cache, hit !== undefined);
    if (hit) return Promise.resolve(hit.value);
    const pending = inflight.get(key);
    if (pending) return pending;
    const startedAt = generation;
    const promise = read()
      .then((value) => {
        if (generation === startedAt) entries.set(key, { value });
        return value;
      })
      .finally(() => {
        if (inflight.get(key) === promise) inflight.delete(key);
      });
    inflight.set(key, promise);
    return promise;
  };

  const invalidate = (key: string) => {
    generation++;
    entries.delete(key);
    inflight.delete(key);
  };

  return {
    product: (idOrSlug) =>
      load(productKey(idOrSlug), () => (looksLikeUuid(idOrSlug) ? store.findProductById(idOrSlug) : store.findProductBySlug(idOrSlug)), 'product') as Promise<
        ProductRecord | undefined
      >,
    categories: () => load(CATEGORIES_KEY, () => store.listCategories(), 'categories') as Promise<CategoryRecord[]>,
    invalidateProduct: ({ id, slug }) => {
      invalidate(productKey(id));
      invalidate(productKey(slug));
    },
    invalidateCategories: () => invalidate(CATEGORIES_KEY),
  };
}
