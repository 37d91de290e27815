import type { TaggedCache } from '../../../platform/cache/tagged-cache.js';
import type { DegradationCheck } from '../../../platform/overload/degradation.js';
import type { Bulkhead } from '../../../platform/resilience/bulkhead.js';
import { CatalogTags, SurrogateKeys } from '../catalog-page-invalidation.js';
import { listKey, productKey } from '../catalog-read-cache.js';
import type { Category } from '../contract/catalog-api.js';
import { CatalogErrors } from '../errors.js';
import type { makeGetProduct } from '../get-product.js';
import { toListQuery, type ListProductsInput, type makeListProducts } from '../list-products.js';
import { NOT_FOUND, renderResponse, type RenderedResponse } from './rendered-response.js';

export interface CatalogPagesDeps {
  cache: TaggedCache<RenderedResponse>;
  getProduct: ReturnType<typeof makeGetProduct>;
  listProducts: ReturnType<typeof makeListProducts>;
  listCategories: () => Promise<Category[]>;
  /** under the `search` switch a search answers the cached first page of the plain list */
  degradation?: DegradationCheck;
  /** caps list/search loads from the database (a miss each); absent → uncapped */
  listLoads?: Bulkhead;
}

export interface CatalogPages {
  /** the entry for a product page; `notFound` entries too (cached like any other) */
  product(idOrSlug: string): Promise<RenderedResponse>;
  /** throws the 400s of a bad cursor or sort before touching the cache */
  list(input: ListProductsInput): Promise<RenderedResponse>;
  categories(): Promise<RenderedResponse>;
  /** the same entries while they are fresh in this process, else undefined (no load): the HTTP fast lane's read */
  peek: {
    product(idOrSlug: string): RenderedResponse | undefined;
    /** for input that list() accepted */
    list(input: ListProductsInput): RenderedResponse | undefined;
    categories(): RenderedResponse | undefined;
  };
}

/**
 * The public catalog reads as rendered, tagged cache entries: a hit is one lookup and a write of bytes.
 * Keys are built from the normalised query (validated before: unknown parameters never get here), so
 * spellings of one query share an entry and no query string can add entries of its own. Serialising
 * runs once per entry with JSON.stringify; a compiled serialiser would save microseconds per MISS only.
 */
export function createCatalogPages({ cache, getProduct, listProducts, listCategories, degradation, listLoads }: CatalogPagesDeps): CatalogPages {
  // pages rendered while stock shows in/out only are kept apart: turning the switch off must show counts at once
  const stockMode = () => (degradation?.isDegraded('stock-counts') ? 'in-out:' : '');
  const productEntryKey = (idOrSlug: string) => `${stockMode()}product:${productKey(idOrSlug)}`;
  // full-text search is the catalog's most expensive read: degraded, every search shares the plain list's entry
  const effectiveList = (given: ListProductsInput): ListProductsInput => (given.q !== undefined && degradation?.isDegraded('search') ? { limit: given.limit } : given);
  const listEntryKey = (input: ListProductsInput) => {
    const normalised = toListQuery(input);
    if (!normalised.ok) throw normalised.code === 'CATALOG_SORT_NEEDS_QUERY' ? CatalogErrors.relevanceNeedsQuery() : CatalogErrors.cursorInvalid();
    return `${stockMode()}list:${listKey(normalised.query)}`;
  };
  const pages: CatalogPages = {
    // a stale entry within its grace is served as getOrLoad serves it, and getOrLoad is called to start its one
    // refresh: under overload, when the route itself is shed, the pages still refresh and the lane keeps serving
    peek: {
      product(idOrSlug) {
        const found = cache.peek(productEntryKey(idOrSlug), { stale: true });
        if (found?.stale) pages.product(idOrSlug).catch(() => {});
        return found?.value;
      },
      list(given) {
        const found = cache.peek(listEntryKey(effectiveList(given)), { stale: true });
        if (found?.stale) pages.list(given).catch(() => {});
        return found?.value;
      },
      categories() {
        const found = cache.peek('categories', { stale: true });
        if (found?.stale) pages.categories().catch(() => {});
        return found?.value;
      },
    },
    product: (idOrSlug) =>
      cache.getOrLoad(productEntryKey(idOrSlug), async () => {
        const result = await getProduct(idOrSlug);
        if (!result.ok) return { value: NOT_FOUND, tags: [CatalogTags.lists] };
        const { product } = result;
        return {
          value: renderResponse(JSON.stringify(product), [SurrogateKeys.product(product.id), SurrogateKeys.category(product.categoryId)]),
          tags: [CatalogTags.product(product.id)],
        };
      }),
    list(given) {
      const input = effectiveList(given);
      return cache.getOrLoad(listEntryKey(input), async () => {
        // a hit never queues here: only a miss (single-flight: one per distinct page) takes a slot
        const result = await (listLoads ? listLoads.run(() => listProducts(input)) : listProducts(input));
        if (!result.ok) throw result.code === 'CATALOG_SORT_NEEDS_QUERY' ? CatalogErrors.relevanceNeedsQuery() : CatalogErrors.cursorInvalid();
        const ids = result.items.map((p) => p.id);
        const categories = [...new Set(result.items.map((p) => p.categoryId))];
        return {
          value: renderResponse(JSON.stringify({ items: result.items, nextCursor: result.nextCursor }), [
            SurrogateKeys.lists,
            ...categories.map(SurrogateKeys.category),
            ...ids.map(SurrogateKeys.product),
          ]),
          tags: [CatalogTags.lists, ...ids.map(CatalogTags.product)],
        };
      });
    },
    categories: () =>
      cache.getOrLoad('categories', async () => ({
        value: renderResponse(JSON.stringify({ items: await listCategories() }), [SurrogateKeys.categories]),
        tags: [CatalogTags.categories],
      })),
  };
  return pages;
}
