import { looksLikeUuid } from './catalog-ids.js';
import type { CatalogReadCache } from './catalog-read-cache.js';
import type { PublicProduct } from './contract/catalog-api.js';
import { decodeCursor, encodeCursor } from './product-cursor.js';
import { readAvailability, toPublicProduct, type AvailabilityReader } from './product-view.js';
import type { ProductKeyset, ProductListQuery, ProductPage, ProductSort } from './storage/catalog-store.js';

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
  | { ok: true; items: PublicProduct[]; nextCursor: string | null; page: ProductPage; availability: Map<string, number> }
  | { ok: false; code: 'CATALOG_CURSOR_INVALID' | 'CATALOG_SORT_NEEDS_QUERY' };

export interface ListProductsDeps {
  /** pages come from the read cache: a popular list or search costs one query per cache TTL */
  cache: Pick<CatalogReadCache, 'productPage'>;
  inventory: AvailabilityReader;
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

export type ListQueryResult = { ok: true; query: ProductListQuery } | { ok: false; code: 'CATALOG_CURSOR_INVALID' | 'CATALOG_SORT_NEEDS_QUERY' };

/** The store query a request means: equal meanings give equal queries (and so one cache entry). */
export function toListQuery(input: ListProductsInput): ListQueryResult {
  const q = normaliseSearch(input.q);
  const sort = input.sort ?? (q ? 'relevance' : 'newest');
  if (sort === 'relevance' && !q) return { ok: false, code: 'CATALOG_SORT_NEEDS_QUERY' };
  let after: ProductKeyset | undefined;
  if (input.cursor !== undefined) {
    after = decodeCursor(input.cursor);
    // a cursor from another sort order would start the page at a meaningless place
    if (!after || after.sort !== sort) return { ok: false, code: 'CATALOG_CURSOR_INVALID' };
  }
  return {
    ok: true,
    query: {
      ...(q ? { q } : {}),
      ...(input.category !== undefined ? { category: normaliseCategory(input.category) } : {}),
      ...(input.minPrice !== undefined ? { minPrice: input.minPrice } : {}),
      ...(input.maxPrice !== undefined ? { maxPrice: input.maxPrice } : {}),
      ...(after ? { after } : {}),
      sort,
      limit: input.limit,
    },
  };
}

/**
 * Keyset pagination: page N costs the same as page 1, and rows inserted meanwhile never shift a page. `known` is
 * the page a rendered list was made from, which no admin write has changed since (catalog-pages.ts): given, only
 * the stock is read again. The page and the figures come back with the items for that.
 */
export const makeListProducts = ({ cache, inventory }: ListProductsDeps) =>
  async (input: ListProductsInput, known?: ProductPage): Promise<ListProductsResult> => {
    const normalised = toListQuery(input);
    if (!normalised.ok) return normalised;
    // the page (products, prices, next cursor) may be up to a cache TTL old; stock is added per request
    const page = known ?? (await cache.productPage(normalised.query));
    const availability = await readAvailability(inventory, page.products);
    return {
      ok: true,
      items: page.products.map((p) => toPublicProduct(p, availability)),
      nextCursor: page.next ? encodeCursor(page.next) : null,
      page,
      availability,
    };
  };
