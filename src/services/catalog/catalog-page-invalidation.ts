import type { CdnPurge } from '../../platform/cache/cdn-purge.js';
import type { TaggedCache } from '../../platform/cache/tagged-cache.js';
import { looksLikeUuid } from './catalog-ids.js';
import type { CatalogReadCache } from './catalog-read-cache.js';
import type { CatalogStore, ProductRecord } from './storage/catalog-store.js';

/** Tags of cached catalog pages (server side) */
export const CatalogTags = {
  product: (id: string) => `product:${id}`,
  /** every list and search page, and "not found" product pages (a new product may take the slug) */
  lists: 'catalog-lists',
  categories: 'catalog-categories',
} as const;

/** Surrogate keys of the same pages (CDN side, `Surrogate-Key` header) */
export const SurrogateKeys = {
  product: (id: string) => `product-${id}`,
  category: (id: string) => `category-${id}`,
  lists: 'products',
  categories: 'categories',
} as const;

export interface PageInvalidationLogger {
  warn(obj: object, msg?: string): void;
}

export interface CatalogPageInvalidationDeps {
  store: CatalogStore;
  /** the rendered pages (http/catalog-pages.ts), shared by every process through Redis when it is configured */
  pages: Pick<TaggedCache<unknown>, 'invalidateTags'>;
  purge: CdnPurge;
  logger: PageInvalidationLogger;
}

/**
 * What the admin use cases see as their read cache: reads go straight to the store (the rendered page
 * cache in front of them already coalesces concurrent misses, and a second, per-process record cache
 * under it would refill shared pages with records that another process has just changed), and a change
 * drops the affected pages in every process and on the CDN.
 *
 * A product change drops its own pages (by id and slug) and every page that contained it, by tag; it
 * also drops every list page, since a new name, price or category can move it INTO pages that did not
 * contain it. Stock is not announced: pages show stock at most a page TTL (+ grace) old, by design.
 */
export function createCatalogPageInvalidation({ store, pages, purge, logger }: CatalogPageInvalidationDeps): CatalogReadCache {
  const invalidate = (tags: string[], surrogateKeys: string[]) => {
    // the in-process level is dropped before invalidateTags first awaits: the admin's next read here is fresh
    void pages.invalidateTags(tags).catch((err: unknown) => logger.warn({ err, tags }, 'catalog page invalidation failed'));
    void purge.purge(surrogateKeys).catch((err: unknown) => logger.warn({ err, surrogateKeys }, 'cdn purge failed'));
  };
  return {
    product: (idOrSlug) => (looksLikeUuid(idOrSlug) ? store.findProductById(idOrSlug) : store.findProductBySlug(idOrSlug)),
    categories: () => store.listCategories(),
    productPage: (query) => store.listProducts(query),
    productChanged(product: ProductRecord) {
      invalidate([CatalogTags.product(product.id), CatalogTags.lists], [SurrogateKeys.product(product.id), SurrogateKeys.lists]);
    },
    categoriesChanged() {
      invalidate([CatalogTags.categories, CatalogTags.lists], [SurrogateKeys.categories, SurrogateKeys.lists]);
    },
  };
}
