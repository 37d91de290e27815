import type { TaggedCache } from '../../../platform/cache/tagged-cache.js';
import type { DegradationCheck } from '../../../platform/overload/degradation.js';
import type { Bulkhead } from '../../../platform/resilience/bulkhead.js';
import { CatalogTags, SurrogateKeys } from '../catalog-page-invalidation.js';
import { listKey, productKey } from '../catalog-read-cache.js';
import type { Category } from '../contract/catalog-api.js';
import { CatalogErrors } from '../errors.js';
import type { makeGetProduct } from '../get-product.js';
import { toListQuery, type ListProductsInput, type makeListProducts } from '../list-products.js';
import type { ProductPage, ProductRecord } from '../storage/catalog-store.js';
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
  /**
   * How long the records behind a page (its product, a list's products, the categories) are used again when the
   * page refreshes (CATALOG_VARIANT_CACHE_TTL_MS where every process hears every change): while they are, a refresh
   * reads the stock alone, and keeps the very entry (bytes, compressed bodies, ETag) when no figure moved. An admin
   * change drops the page and its records with it (catalog-page-invalidation.ts). 0 reads everything again.
   */
  recordTtlMs?: number;
  /** the records' clock (ms); default Date.now */
  now?: () => number;
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
export function createCatalogPages({ cache, getProduct, listProducts, listCategories, degradation, listLoads, recordTtlMs = 0, now = Date.now }: CatalogPagesDeps): CatalogPages {
  // Pages show stock, so they expire every page TTL; their records change only by admin writes, which drop the
  // page. Re-reading the records at every expiry cost most of a hot page's refresh (a product read, a list or
  // search query, rendering and compressing the same bytes again): a refresh now reads the stock alone while the
  // records are younger than recordTtlMs (BENCHMARKS.md, 2026-12-02 07:40).
  const sources = new WeakMap<RenderedResponse, { records: unknown; availability: ReadonlyMap<string, number>; readAt: number }>();
  /** the entry being refreshed and what it was made from, when its records may be used again */
  const keptSource = <R>(key: string): Kept<R> | undefined => {
    if (recordTtlMs <= 0) return undefined;
    const value = cache.peek(key, { stale: true })?.value;
    const source = value && sources.get(value);
    if (!source || now() - source.readAt >= recordTtlMs) return undefined;
    return { value, records: source.records as R, availability: source.availability, readAt: source.readAt };
  };
  /** the entry to keep: the same one when no stock figure moved, else one rendered anew */
  const rendered = <R>(kept: Kept<R> | undefined, readAt: number, records: R, availability: ReadonlyMap<string, number>, render: () => RenderedResponse) => {
    if (kept && sameFigures(kept.availability, availability)) return kept.value;
    const value = render();
    if (recordTtlMs > 0) {
      sources.set(value, { records, availability, readAt: kept?.readAt ?? readAt });
      // the records are the page's JSON as objects: about twice its bytes in V8's heap, counted against the bound
      value.retainedBytes = RECORD_BYTES_PER_JSON_BYTE * value.body.length;
    }
    return value;
  };
  // pages rendered while stock shows in/out only are kept apart: turning the switch off must show counts at once
  const stockMode = () => (degradation?.isDegraded('stock-counts') ? 'in-out:' : '');
  const productEntryKey = (idOrSlug: string) => `${stockMode()}product:${productKey(idOrSlug)}`;
  // full-text search is the catalog's most expensive read: degraded, every search shares the plain list's entry
  const effectiveList = (given: ListProductsInput): ListProductsInput => (given.q !== undefined && degradation?.isDegraded('search') ? { limit: given.limit } : given);
  // the fast lane asks with the same query object every time (the one its URL was remembered with): its key is
  // worked out once, where normalising and serialising it again cost a search answer ~6 % of its CPU
  const listKeys = new WeakMap<ListProductsInput, string>();
  const listEntryKey = (input: ListProductsInput) => {
    let key = listKeys.get(input);
    if (key === undefined) {
      const normalised = toListQuery(input);
      if (!normalised.ok) throw normalised.code === 'CATALOG_SORT_NEEDS_QUERY' ? CatalogErrors.relevanceNeedsQuery() : CatalogErrors.cursorInvalid();
      key = `list:${listKey(normalised.query)}`;
      listKeys.set(input, key);
    }
    return `${stockMode()}${key}`;
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
    product(idOrSlug) {
      const key = productEntryKey(idOrSlug);
      return cache.getOrLoad(key, async () => {
        const kept = keptSource<ProductRecord>(key);
        const readAt = now();
        const result = await getProduct(idOrSlug, kept?.records);
        if (!result.ok) return { value: NOT_FOUND, tags: [CatalogTags.lists] };
        const { product, record, availability } = result;
        return {
          value: rendered(kept, readAt, record, availability, () =>
            renderResponse(JSON.stringify(product), [SurrogateKeys.product(product.id), SurrogateKeys.category(product.categoryId)]),
          ),
          tags: [CatalogTags.product(product.id)],
        };
      });
    },
    list(given) {
      const input = effectiveList(given);
      const key = listEntryKey(input);
      return cache.getOrLoad(key, async () => {
        const kept = keptSource<ProductPage>(key);
        const readAt = now();
        // a hit never queues here: only a miss (single-flight: one per distinct page) takes a slot; a refresh that
        // reads the stock alone does not query the list, and takes none
        const load = () => listProducts(input, kept?.records);
        const result = await (listLoads && !kept ? listLoads.run(load) : load());
        if (!result.ok) throw result.code === 'CATALOG_SORT_NEEDS_QUERY' ? CatalogErrors.relevanceNeedsQuery() : CatalogErrors.cursorInvalid();
        const ids = result.items.map((p) => p.id);
        const categories = [...new Set(result.items.map((p) => p.categoryId))];
        return {
          value: rendered(kept, readAt, result.page, result.availability, () =>
            renderResponse(JSON.stringify({ items: result.items, nextCursor: result.nextCursor }), [
              SurrogateKeys.lists,
              ...categories.map(SurrogateKeys.category),
              ...ids.map(SurrogateKeys.product),
            ]),
          ),
          tags: [CatalogTags.lists, ...ids.map(CatalogTags.product)],
        };
      });
    },
    categories: () =>
      cache.getOrLoad('categories', async () => {
        // categories show no stock: while their records may be used again, the entry is simply kept
        const kept = keptSource<null>('categories');
        if (kept) return { value: kept.value, tags: [CatalogTags.categories] };
        const readAt = now();
        const items = await listCategories();
        return {
          value: rendered(undefined, readAt, null, NO_FIGURES, () => renderResponse(JSON.stringify({ items }), [SurrogateKeys.categories])),
          tags: [CatalogTags.categories],
        };
      }),
  };
  return pages;
}

/** an entry being refreshed, and the records and stock figures it was made from */
interface Kept<R> {
  value: RenderedResponse;
  records: R;
  availability: ReadonlyMap<string, number>;
  /** when its records were read from the store */
  readAt: number;
}

const NO_FIGURES: ReadonlyMap<string, number> = new Map();
const RECORD_BYTES_PER_JSON_BYTE = 2;

/** whether two pages' stock figures are the same (the same variants, each with the same figure) */
function sameFigures(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, figure] of a) if (b.get(id) !== figure) return false;
  return true;
}
