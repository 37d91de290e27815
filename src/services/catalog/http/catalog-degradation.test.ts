import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDegradationRegistry } from '../../../platform/overload/degradation.js';
import type { ProductList, PublicProduct } from '../contract/catalog-api.js';
import { createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

describe('catalog under the degradation switches', () => {
  const registry = createDegradationRegistry();
  let t: CatalogTestApp;
  beforeAll(async () => {
    t = await createCatalogTestApp({ availabilityTtlMs: 0, degradation: registry });
  });
  afterAll(() => t?.close());

  const getJson = async <T>(url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  it('when stock-counts is degraded, then shoppers see 1 for in stock and 0 for sold out; when it is off again, the counts', async () => {
    const category = await t.createCategory();
    const plenty = await t.createProduct(category.id);
    const none = await t.createProduct(category.id);
    t.stock.set(plenty.variants[0]!.id, 7);
    registry.setMode('stock-counts', 'on');
    expect((await getJson<PublicProduct>(`/v1/products/${plenty.slug}`)).variants[0]?.available).toBe(1);
    expect((await getJson<PublicProduct>(`/v1/products/${none.slug}`)).variants[0]?.available).toBe(0);
    registry.setMode('stock-counts', 'off');
    expect((await getJson<PublicProduct>(`/v1/products/${plenty.slug}`)).variants[0]?.available).toBe(7);
  });

  it('when search is degraded, then a search answers the first page of the plain list instead of running the query', async () => {
    const category = await t.createCategory();
    await t.createProduct(category.id);
    const nowhere = '/v1/products?q=zyzzyvaquartz&limit=5';
    expect((await getJson<ProductList>(nowhere)).items).toEqual([]);
    registry.setMode('search', 'on');
    const degraded = await getJson<ProductList>(nowhere);
    expect(degraded.items.map((p) => p.id)).toEqual((await getJson<ProductList>('/v1/products?limit=5')).items.map((p) => p.id));
    expect(degraded.items.length).toBeGreaterThan(0);
    registry.setMode('search', 'auto');
    expect((await getJson<ProductList>(nowhere)).items).toEqual([]);
  });
});
