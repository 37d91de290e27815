import type { PublicProduct } from './contract/catalog-api.js';
import { decodeCursor, encodeCursor } from './product-cursor.js';
import { readAvailability, toPublicProduct, type AvailabilityReader } from './product-view.js';
import type { CatalogStore, ProductKeyset, ProductSort } from './storage/catalog-store.js';

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
  store: CatalogStore;
  inventory: AvailabilityReader;
}

/** Keyset pagination: page N costs the same as page 1, and rows inserted meanwhile never shift a page. */
export const makeListProducts = ({ store, inventory }: ListProductsDeps) =>
  async (input: ListProductsInput): Promise<ListProductsResult> => {
    const sort = input.sort ?? (input.q ? 'relevance' : 'newest');
    if (sort === 'relevance' && !input.q) return { ok: false, code: 'CATALOG_SORT_NEEDS_QUERY' };
    let after: ProductKeyset | undefined;
    if (input.cursor !== undefined) {
      after = decodeCursor(input.cursor);
      // a cursor from another sort order would start the page at a meaningless place
      if (!after || after.sort !== sort) return { ok: false, code: 'CATALOG_CURSOR_INVALID' };
    }
    const page = await store.listProducts({
      ...(input.q ? { q: input.q } : {}),
      ...(input.category !== undefined ? { category: input.category } : {}),
      ...(input.minPrice !== undefined ? { minPrice: input.minPrice } : {}),
      ...(input.maxPrice !== undefined ? { maxPrice: input.maxPrice } : {}),
      ...(after ? { after } : {}),
      sort,
      limit: input.limit,
    });
    const availability = await readAvailability(inventory, page.products);
    return {
      ok: true,
      items: page.products.map((p) => toPublicProduct(p, availability)),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  };
