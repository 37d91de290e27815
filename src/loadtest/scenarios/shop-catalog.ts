import type { ScenarioContext, VirtualUser, VuResponse } from '../scenario.js';

/** what the browse flows pick from, discovered once before the load */
export interface CatalogSample {
  products: Array<{ id: string; slug: string; name: string; categoryId?: string; variants: Array<{ id: string; available: number }> }>;
  categoryIds: string[];
  searchTerms: string[];
  /** second-page cursors, so some listings page on like a shopper scrolling */
  cursors: string[];
}

export const BROWSE_STEPS = ['categories', 'list', 'search', 'product'] as const;

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** lists answer {items, nextCursor}; tolerate a bare array too */
export const listItems = (body: unknown): unknown[] => (Array.isArray(body) ? body : asArray(asRecord(body).items));

function parseProduct(raw: unknown): CatalogSample['products'][number] | undefined {
  const p = asRecord(raw);
  if (typeof p.id !== 'string') return undefined;
  const variants = asArray(p.variants)
    .map(asRecord)
    .filter((v) => typeof v.id === 'string')
    .map((v) => ({ id: v.id as string, available: typeof v.available === 'number' ? v.available : 0 }));
  return {
    id: p.id,
    slug: typeof p.slug === 'string' ? p.slug : p.id,
    name: typeof p.name === 'string' ? p.name : '',
    categoryId: typeof p.categoryId === 'string' ? p.categoryId : undefined,
    variants,
  };
}

function flattenCategories(items: unknown[], into: string[]): void {
  for (const raw of items) {
    const c = asRecord(raw);
    if (typeof c.id === 'string') into.push(c.id);
    flattenCategories(asArray(c.children), into);
  }
}

/** reads up to `pages` pages of products and the category list; throws when the shop has nothing to sell */
export async function discoverCatalog(ctx: ScenarioContext, pages = 4): Promise<CatalogSample> {
  const sample: CatalogSample = { products: [], categoryIds: [], searchTerms: [], cursors: [] };
  const categories = await ctx.request({ method: 'GET', path: '/v1/categories' });
  if (categories.status === 200) flattenCategories(listItems(categories.body), sample.categoryIds);
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await ctx.request({ method: 'GET', path: `/v1/products?limit=50${query}` });
    if (res.status !== 200) throw new Error(`GET /v1/products answered ${res.status}; is the target a Floodgate shop?`);
    for (const raw of listItems(res.body)) {
      const product = parseProduct(raw);
      if (product) sample.products.push(product);
    }
    const next = asRecord(res.body).nextCursor;
    cursor = typeof next === 'string' && next.length > 0 ? next : null;
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
  const query = [
    'limit=20',
    category ? `category=${encodeURIComponent(category)}` : undefined,
    cursor && !category ? `cursor=${encodeURIComponent(cursor)}` : undefined,
  ].filter(Boolean);
  return vu.request('list', { method: 'GET', path: `/v1/products?${query.join('&')}` });
}

export function search(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const term = pick(vu, catalog.searchTerms) ?? 'shirt';
  return vu.request('search', { method: 'GET', path: `/v1/products?q=${encodeURIComponent(term)}&limit=20` });
}

export function viewProduct(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const product = pickProduct(vu, catalog);
  // most links carry the slug; some clients use the id
  const key = vu.random() < 0.8 ? product.slug : product.id;
  return vu.request('product', { method: 'GET', path: `/v1/products/${encodeURIComponent(key)}` });
}

/** one browsing request, in the mix a storefront sees: product pages, listings, searches, the menu */
export function browseOnce(vu: VirtualUser, catalog: CatalogSample): Promise<VuResponse> {
  const r = vu.random();
  if (r < 0.4) return viewProduct(vu, catalog);
  if (r < 0.75) return viewList(vu, catalog);
  if (r < 0.95) return search(vu, catalog);
  return vu.request('categories', { method: 'GET', path: '/v1/categories' });
}
