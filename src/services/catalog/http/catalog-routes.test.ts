import { PUBLIC_CACHE_CONTROL } from './conditional-get.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductList, PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

describe('public catalog routes', () => {
  let t: CatalogTestApp;
  beforeAll(async () => {
    // these tests set stock and read it back at once; the sub-second stock cache has its own tests
    t = await createCatalogTestApp({ availabilityTtlMs: 0, cacheTtlMs: 0 });
  });
  afterAll(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const list = async (query: string) => {
    const res = await get(`/v1/products?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ProductList;
  };
  const walk = async (query: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ProductList = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  };
  const fieldsOf = (body: string) => (JSON.parse(body) as { errors?: Array<{ field: string }> }).errors?.map((e) => e.field);
  const variant = (sku: string, amount: number) => ({ sku, title: sku, price: { amount, currency: 'USD' } });

  it('when searching a word, then products mentioning it are found and others are not', async () => {
    const category = await t.createCategory();
    const jacket = await t.createProduct(category.id, { name: 'Quillfeather Rain Jacket', description: 'Taped seams' });
    const mug = await t.createProduct(category.id, { name: 'Enamel Mug', description: 'Goes with a quillfeather jacket' });
    await t.createProduct(category.id, { name: 'Desk Lamp' });
    const found = await list('q=quillfeather');
    expect(found.items.map((p) => p.id)).toEqual([jacket.id, mug.id]);
    const phrase = await list(`q=${encodeURIComponent('"quillfeather rain" -mug')}`);
    expect(phrase.items.map((p) => p.id)).toEqual([jacket.id]);
  });

  it('when filtering by category (slug or id) and price, then only matching products are listed', async () => {
    const category = await t.createCategory();
    const other = await t.createCategory();
    const cheap = await t.createProduct(category.id, { variants: [variant(`C-${category.slug}`, 900), variant(`C2-${category.slug}`, 5000)] });
    const dear = await t.createProduct(category.id, { variants: [variant(`D-${category.slug}`, 7000)] });
    await t.createProduct(other.id);
    expect((await walk(`category=${category.slug}`)).sort()).toEqual([cheap.id, dear.id].sort());
    expect((await walk(`category=${category.id}`)).sort()).toEqual([cheap.id, dear.id].sort());
    expect(await walk(`category=${category.slug}&maxPrice=1000`)).toEqual([cheap.id]);
    expect(await walk(`category=${category.slug}&minPrice=1000`)).toEqual([dear.id]);
    expect(await walk('category=no-such-category')).toEqual([]);
  });

  it('when sorting, then each order is honoured and newest is the default', async () => {
    const category = await t.createCategory();
    const b = await t.createProduct(category.id, { name: 'Bravo', variants: [variant(`B-${category.slug}`, 3000)] });
    const a = await t.createProduct(category.id, { name: 'Alpha', variants: [variant(`A-${category.slug}`, 2000)] });
    const c = await t.createProduct(category.id, { name: 'Charlie', variants: [variant(`C-${category.slug}`, 1000)] });
    const by = (sort: string) => walk(`category=${category.id}${sort ? `&sort=${sort}` : ''}`);
    expect(await by('')).toEqual([c.id, a.id, b.id]);
    expect(await by('newest')).toEqual([c.id, a.id, b.id]);
    expect(await by('price_asc')).toEqual([c.id, a.id, b.id]);
    expect(await by('price_desc')).toEqual([b.id, a.id, c.id]);
    expect(await by('name')).toEqual([a.id, b.id, c.id]);
  });

  it('when paging with a small limit, then every product appears exactly once and the last page has no cursor', async () => {
    const category = await t.createCategory();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await t.createProduct(category.id, { variants: [variant(`P${i}-${category.slug}`, 1000 * (i % 3) + 500)] })).id);
    for (const sort of ['newest', 'price_asc', 'price_desc', 'name']) {
      const ids = await walk(`category=${category.id}&limit=2&sort=${sort}`);
      expect(ids, sort).toHaveLength(7);
      expect(new Set(ids), sort).toEqual(new Set(created));
    }
    const last = await list(`category=${category.id}&limit=7`);
    expect(last.items).toHaveLength(7);
    expect(last.nextCursor).toBeNull();
  });

  it('when a page is listed, then availability for all its variants comes from inventory in one call', async () => {
    const category = await t.createCategory();
    const p1 = await t.createProduct(category.id, { variants: [variant(`AV1-${category.slug}`, 100), variant(`AV2-${category.slug}`, 200)] });
    const p2 = await t.createProduct(category.id);
    t.stock.set(p1.variants[0]!.id, 7);
    t.stock.set(p2.variants[0]!.id, 3);
    const callsBefore = t.availabilityCalls.length;
    const page = await list(`category=${category.id}`);
    expect(t.availabilityCalls.length).toBe(callsBefore + 1);
    expect(t.availabilityCalls.at(-1)?.sort()).toEqual([...p1.variants, ...p2.variants].map((v) => v.id).sort());
    const byId = new Map(page.items.map((p) => [p.id, p]));
    expect(byId.get(p1.id)?.variants.map((v) => v.available)).toEqual([7, 0]);
    expect(byId.get(p2.id)?.variants[0]).toEqual({ id: p2.variants[0]!.id, sku: p2.variants[0]!.sku, title: 'One size', price: { amount: 1999, currency: 'USD' }, available: 3 });
  });

  it('when a product is fetched by id or slug, then it has the public shape; an unknown one is 404', async () => {
    const category = await t.createCategory();
    const created = await t.createProduct(category.id, { name: 'Copper Kettle', slug: `copper-kettle-${category.slug}` });
    const byId = await get(`/v1/products/${created.id}`);
    const bySlug = await get(`/v1/products/${created.slug}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual(bySlug.json());
    expect(Object.keys(byId.json() as PublicProduct).sort()).toEqual(['categoryId', 'description', 'id', 'name', 'slug', 'variants']);
    for (const missing of ['0190f0f0-0000-7000-8000-00000000abcd', 'no-such-product', 'Weird%20Slug!']) {
      const res = await get(`/v1/products/${missing}`);
      expect(res.statusCode, missing).toBe(404);
      expect(res.json()).toMatchObject({ code: 'CATALOG_PRODUCT_NOT_FOUND' });
    }
  });

  it('when a product is archived, then it is 404 publicly, even right after it was served from the cache', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    expect((await get(`/v1/products/${product.slug}`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/products/${product.id}/archive`, headers: ADMIN })).statusCode).toBe(200);
    for (const key of [product.id, product.slug]) {
      const res = await get(`/v1/products/${key}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'CATALOG_PRODUCT_NOT_FOUND' });
    }
    expect(await walk(`category=${category.id}`)).toEqual([]);
  });

  it('when the client already has the current representation, then If-None-Match answers 304, and a stock change gives a new ETag', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    for (const url of [`/v1/products/${product.id}`, `/v1/products?category=${category.id}`, '/v1/categories']) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^".+"$/);
      expect(first.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
      expect((await get(url, { 'if-none-match': 'W/"stale"' })).statusCode).toBe(200);
    }
    const before = (await get(`/v1/products/${product.id}`)).headers.etag as string;
    t.stock.set(product.variants[0]!.id, 42);
    const after = await get(`/v1/products/${product.id}`, { 'if-none-match': before });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before);
    expect((after.json() as PublicProduct).variants[0]?.available).toBe(42);
  });

  it('when the limit is above 100 or the query has unknown fields, then 400 names the field', async () => {
    const tooMany = await get('/v1/products?limit=101');
    expect(tooMany.statusCode).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual(['query.limit']);
    for (const [url, field] of [
      ['/v1/products?limit=0', 'query.limit'],
      ['/v1/products?limit=ten', 'query.limit'],
      ['/v1/products?minPrice=-1', 'query.minPrice'],
      ['/v1/products?sort=cheapest', 'query.sort'],
      ['/v1/products?page=2', 'query.page'],
      ['/v1/products/x?expand=all', 'query.expand'],
      ['/v1/categories?x=1', 'query.x'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(fieldsOf(res.body), url).toEqual([field]);
    }
    const sortWithoutQuery = await get('/v1/products?sort=relevance');
    expect(sortWithoutQuery.statusCode).toBe(400);
    expect(fieldsOf(sortWithoutQuery.body)).toEqual(['query.sort']);
    expect((await list('limit=100')).items.length).toBeLessThanOrEqual(100);
  });

  it('when the cursor is garbage, tampered or from another sort, then 400 names query.cursor', async () => {
    const category = await t.createCategory();
    for (let i = 0; i < 3; i++) await t.createProduct(category.id);
    const { nextCursor } = await list(`category=${category.id}&limit=1`);
    expect(nextCursor).toEqual(expect.any(String));
    const decoded = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...decoded, id: "x' or 1=1 --" })).toString('base64url');
    const extra = Buffer.from(JSON.stringify({ ...decoded, offset: 5 })).toString('base64url');
    for (const cursor of ['not a cursor', 'bm9wZQ', tampered, extra, `${nextCursor}%00`]) {
      const res = await get(`/v1/products?category=${category.id}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json(), cursor).toMatchObject({ code: 'CATALOG_CURSOR_INVALID', errors: [{ field: 'query.cursor' }] });
    }
    const otherSort = await get(`/v1/products?category=${category.id}&sort=name&cursor=${nextCursor}`);
    expect(otherSort.statusCode).toBe(400);
  });

  it('when categories are listed, then each has id, slug and name', async () => {
    const category = await t.createCategory();
    const res = await get('/v1/categories');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: unknown[] }).items).toContainEqual(category);
  });
});
