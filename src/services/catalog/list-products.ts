import type { DegradationCheck } from '../../platform/overload/degradation.js';
import { looksLikeUuid } from './catalog-ids.js';
import type { CatalogReadCache } from './catalog-read-cache.js';
import type { PublicProduct } from './contract/catalog-api.js';
import { decodeCursor, encodeCursor } from './product-cursor.js';
import { readAvailability, toPublicProduct, type AvailabilityReader } from './product-view.js';
import type { ProductKeyset, ProductListQuery, ProductSort } from './storage/catalog-store.js';

export interface ListProductsInput {
  q?: string;
  /** category id or slug */
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  /** default: relevance when q is given, newest otherwise */
  sort?: ProductSort;
  limit: number;
  cursor?: string;
}

export type ListProductsResult =
  | { ok: true; items: PublicProduct[]; nextCursor: string | null }
  | { ok: false; code: 'CATALOG_CURSOR_INVALID' | 'CATALOG_SORT_NEEDS_QUERY' };

export interface ListProductsDeps {
  /** pages come from the read cache: a popular list or search costs one query per cache TTL */
  cache: Pick<CatalogReadCache, 'productPage'>;
  inventory: AvailabilityReader;
  /** under the `search` switch a search answers the cached first page of the plain list */
  degradation?: DegradationCheck;
}

/**
 * Spellings that mean the same query become one query, hence one cache entry: search is
 * case-insensitive (websearch_to_tsquery lowercases words, and its `or` is case-insensitive too)
 * and blind to runs of spaces; a category id is a uuid in any case.
 */
const normaliseSearch = (q: string | undefined) => {
  const words = q?.trim().replace(/\s+/g, ' ').toLowerCase();
  return words ? words : undefined;
};
const normaliseCategory = (category: string) => (looksLikeUuid(category) ? category.toLowerCase() : category);

/** Keyset pagination: page N costs the same as page 1, and rows inserted meanwhile never shift a page. */
export const makeListProducts = ({ cache, inventory, degradation }: ListProductsDeps) =>
  async (given: ListProductsInput): Promise<ListProductsResult> => {
    // full-text search is the catalog's most expensive read: degraded, every search shares one cached page
    const input: ListProductsInput = given.q !== undefined && degradation?.isDegraded('search') ? { limit: given.limit } : given;
    const q = normaliseSearch(input.q);
    const sort = input.sort ?? (q ? 'relevance' : 'newest');
    if (sort === 'relevance' && !q) return { ok: false, code: 'CATALOG_SORT_NEEDS_QUERY' };
    let after: ProductKeyset | undefined;
    if (input.cursor !== undefined) {
      after = decodeCursor(input.cursor);
      // a cursor from another sort order would start the page at a meaningless place
      if (!after || after.sort !== sort) return { ok: false, code: 'CATALOG_CURSOR_INVALID' };
    }
    const query: ProductListQuery = {
      ...(q ? { q } : {}),
      ...(input.category !== undefined ? { category: normaliseCategory(input.category) } : {}),
      ...(input.minPrice !== undefined ? { minPrice: input.minPrice } : {}),
      ...(input.maxPrice !== undefined ? { maxPrice: input.maxPrice } : {}),
      ...(after ? { after } : {}),
      sort,
      limit: input.limit,
    };
    // the page (products, prices, next cursor) may be up to a cache TTL old; stock is added per request
    const page = await cache.productPage(query);
    const availability = await readAvailability(inventory, page.products);
    return {
      ok: true,
      items: page.products.map((p) => toPublicProduct(p, availability)),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  };
