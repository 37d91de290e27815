import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

/**
 * Issue 10's bulkheads: list and search pages loaded from the database are capped per process, so a burst of
 * distinct searches cannot hold every connection. Here the cap is 1 with no queue, and the load is held open by
 * a slow dependency the test releases (the stock lookup every list page makes).
 */
describe('catalog list/search bulkhead', () => {
  let t: CatalogTestApp;
  let release: () => void = () => {};
  let held = new Promise<void>((resolve) => (release = resolve));
  let holding = false;
  let productId = '';

  beforeAll(async () => {
    t = await createCatalogTestApp({ cacheTtlMs: 60_000, availabilityTtlMs: 0, listLoads: { limit: 1, queue: 0 }, availabilityGate: () => (holding ? held : Promise.resolve()) });
    const category = await t.createCategory();
    const product = await t.createProduct(category.id, { name: 'Bulkhead lamp' });
    t.stock.set(product.variants[0]!.id, 3);
    productId = product.id;
    expect((await t.app.inject({ method: 'GET', url: `/v1/products/${productId}` })).statusCode).toBe(200); // cached from now on
  });
  afterAll(() => t?.close());

  it('when one list page is loading and a different search arrives, then the search answers 503 OVERLOADED with Retry-After at once, a cached product page still answers, and once the load ends searches are served again', async () => {
    holding = true;
    const before = t.availabilityCalls.length; // the admin writes above asked inventory too
    const slow = t.app.inject({ method: 'GET', url: '/v1/products?limit=5' });
    await expect.poll(() => t.availabilityCalls.length).toBeGreaterThan(before);

    const refused = await t.app.inject({ method: 'GET', url: '/v1/products?q=lamp' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'OVERLOADED' });
    expect(refused.headers['retry-after']).toBe('1');
    expect(await t.metrics.registry.metrics()).toMatch(/floodgate_bulkhead_rejected_total\{bulkhead="catalog-list"[^}]*\} 1/);
    // a cached product page is not behind this bulkhead
    const product = await t.app.inject({ method: 'GET', url: `/v1/products/${productId}` });
    expect(product.statusCode).toBe(200);

    release();
    expect((await slow).statusCode).toBe(200);
    holding = false;
    held = Promise.resolve();
    const served = await t.app.inject({ method: 'GET', url: '/v1/products?q=lamp' });
    expect(served.statusCode).toBe(200);
    expect(served.json().items.map((p: { name: string }) => p.name)).toContain('Bulkhead lamp');
  });
});
