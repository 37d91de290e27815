import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminProduct, ProductList, PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

describe('stock figures shown to shoppers (sub-second availability cache)', () => {
  let t: CatalogTestApp;
  let short: CatalogTestApp;
  beforeAll(async () => {
    // a long ttl, so a slow machine cannot make "within the ttl" flaky; `short` checks expiry
    t = await createCatalogTestApp({ availabilityTtlMs: 60_000 });
    short = await createCatalogTestApp({ availabilityTtlMs: 100, cacheTtlMs: 100 });
  });
  afterAll(async () => {
    await t?.close();
    await short?.close();
  });

  const getJson = async <T>(app: CatalogTestApp, url: string) => {
    const res = await app.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  it('when a page of 20 products is listed, then inventory is asked once for all of them, and not at all by a second request or their pages', async () => {
    const category = await t.createCategory();
    const products: AdminProduct[] = [];
    for (let i = 0; i < 20; i++) products.push(await t.createProduct(category.id));
    products.forEach((p, i) => t.stock.set(p.variants[0]!.id, i + 1));
    const before = t.availabilityCalls.length;

    const page = await getJson<ProductList>(t, `/v1/products?category=${category.id}&limit=20`);
    expect(page.items).toHaveLength(20);
    expect(t.availabilityCalls.length).toBe(before + 1);
    expect(t.availabilityCalls.at(-1)?.sort()).toEqual(products.map((p) => p.variants[0]!.id).sort());
    const shown = new Map(page.items.map((p) => [p.id, p.variants[0]!.available]));
    products.forEach((p, i) => expect(shown.get(p.id)).toBe(i + 1));

    expect(await getJson<ProductList>(t, `/v1/products?category=${category.id}&limit=20`)).toEqual(page);
    expect((await getJson<PublicProduct>(t, `/v1/products/${products[4]!.slug}`)).variants[0]?.available).toBe(5);
    expect(t.availabilityCalls.length).toBe(before + 1);
  });

  it('when stock changes, then shoppers see the old figure within the ttl, admins see the new one at once', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const variantId = product.variants[0]!.id;
    t.stock.set(variantId, 5);
    expect((await getJson<PublicProduct>(t, `/v1/products/${product.slug}`)).variants[0]?.available).toBe(5);
    t.stock.set(variantId, 4);
    expect((await getJson<PublicProduct>(t, `/v1/products/${product.slug}`)).variants[0]?.available).toBe(5);
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { description: 'Restocked' } });
    expect(patched.statusCode).toBe(200);
    expect((patched.json() as AdminProduct).variants[0]?.available).toBe(4);
  });

  it('when the ttl has passed, then shoppers see the new figure', async () => {
    const category = await short.createCategory();
    const product = await short.createProduct(category.id);
    const variantId = product.variants[0]!.id;
    short.stock.set(variantId, 5);
    expect((await getJson<PublicProduct>(short, `/v1/products/${product.id}`)).variants[0]?.available).toBe(5);
    short.stock.set(variantId, 1);
    // page ttl 100 ms (+ 50 ms grace) and availability ttl 100 ms: the new figure shows within a few hundred ms
    await expect.poll(async () => (await getJson<PublicProduct>(short, `/v1/products/${product.id}`)).variants[0]?.available, { timeout: 2_000, interval: 50 }).toBe(1);
  });
});
