import type { paths } from '../../client/api-types.js';
import { callAs, callIn } from '../api-operations.js';
import type { ScenarioContext, VirtualUser, VuResponse } from '../scenario.js';

type ListedProduct = paths['/v1/products']['get']['responses'][200]['content']['application/json']['items'][number];

/** what the browse flows pick from, discovered once before the load */
export interface CatalogSample {
  products: Array<{ id: string; slug: string; name: string; categoryId?: string; variants: Array<{ id: string; available: number }> }>;
  categoryIds: string[];
  searchTerms: string[];
  /** second-page cursors, so some listings page on like a shopper scrolling */
  cursors: string[];
}

export const BROWSE_STEPS = ['categories', 'list', 'search', 'product'] as const;

/** the product fields the flows use, from a listing's item as the API document types it */
function sampleOf(product: ListedProduct): CatalogSample['products'][number] {
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    categoryId: product.categoryId,
    variants: product.variants.map((v) => ({ id: v.id, available: v.available })),
  };
}

/** how long the catalog is asked again while the shop refuses it for load (the previous step's queue draining) */
const REFUSED_PATIENCE_MS = 30_000;

/**
 * A read the shop refused for load (429/503) is asked again after its Retry-After (at most 5 s), for up to
 * REFUSED_PATIENCE_MS: a run that starts right after another (calibration's next trial) meets a shop still
 * shedding its predecessor's queue, which is the shop working as designed, not a wrong target.
 */
async function patiently<R extends { status: number; headers: Record<string, string | string[] | undefined> }>(read: () => Promise<R>): Promise<R> {
  const until = Date.now() + REFUSED_PATIENCE_MS;
  for (;;) {
    const res = await read();
    if ((res.status !== 429 && res.status !== 503) || Date.now() >= until) return res;
    const retryAfter = Number(res.headers['retry-after']);
    await new Promise((resolve) => setTimeout(resolve, Math.min(5, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1_000));
  }
}

/** reads up to `pages` pages of products and the category list; throws when the shop has nothing to sell */
export async function discoverCatalog(ctx: ScenarioContext, pages = 4): Promise<CatalogSample> {
  const sample: CatalogSample = { products: [], categoryIds: [], searchTerms: [], cursors: [] };
  const categories = await patiently(() => callIn(ctx, 'GET', '/v1/categories', {}));
  if (categories.data) sample.categoryIds = categories.data.items.map((c) => c.id);
  let cursor: string | undefined;
  for (let page = 0; page < pages; page++) {
    const res = await patiently(() => callIn(ctx, 'GET', '/v1/products', { query: { limit: 50, cursor } }));
    if (res.status !== 200 || !res.data) throw new Error(`GET /v1/products answered ${res.status}; is the target a Floodgate shop?`);
    sample.products.push(...res.data.items.map(sampleOf));
    cursor = res.data.nextCursor ?? undefined;
    if (!cursor) break;
    sample.cursors.push(cursor);
  }
  if (sample.products.length === 0) {
    throw new Error('The target has no products. Start it with the demo catalog (npm start seeds one) and try again.');
  }
  if (sample.categoryIds.length === 0) {
    sample.categoryIds = [...new Set(sample.products.flatMap((p) => (p.categoryId ? [p.categoryId] : [])))];
  }
  const words = sample.products.flatMap((p) => p.name.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 4);
  sample.searchTerms = [...new Set(words)].slice(0, 40);
  return sample;
}

const pick = <T>(vu: VirtualUser, items: readonly T[]): T | undefined => items[Math.floor(vu.random() * items.length)];

/** skewed towards the first products: a few items get most of the views, as in any shop */
export function pickProduct(vu: VirtualUser, catalog: CatalogSample): CatalogSample['products'][number] {
  const r = vu.random();
  return catalog.products[Math.floor(r * r * r * catalog.products.length)]!;
}

export function viewList(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const category = vu.random() < 0.7 ? pick(vu, catalog.categoryIds) : undefined;
  const cursor = vu.random() < 0.2 ? pick(vu, catalog.cursors) : undefined;
  return callAs(vu, 'list', 'GET', '/v1/products', { query: { limit: 20, category, cursor: category ? undefined : cursor } });
}

export function search(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const term = pick(vu, catalog.searchTerms) ?? 'shirt';
  return callAs(vu, 'search', 'GET', '/v1/products', { query: { q: term, limit: 20 } });
}

export function viewProduct(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const product = pickProduct(vu, catalog);
  // most links carry the slug; some clients use the id
  const key = vu.random() < 0.8 ? product.slug : product.id;
  return callAs(vu, 'product', 'GET', '/v1/products/{idOrSlug}', { path: { idOrSlug: key } });
}

/** one browsing request, in the mix a storefront sees: product pages, listings, searches, the menu */
export function browseOnce(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const r = vu.random();
  if (r < 0.4) return viewProduct(vu, catalog);
  if (r < 0.75) return viewList(vu, catalog);
  if (r < 0.95) return search(vu, catalog);
  return callAs(vu, 'categories', 'GET', '/v1/categories', {});
}
