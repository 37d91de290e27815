import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../../platform/telemetry/metrics.js';
import type { ProductList, PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

const total = async (metrics: Metrics, name: string, match: Record<string, string> = {}) => {
  const metric = metrics.registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values
    .filter((v) => !name.endsWith('_seconds') || (v as { metricName?: string }).metricName?.endsWith('_count'))
    .filter((v) => Object.entries(match).every(([k, want]) => v.labels[k] === want))
    .reduce((n, v) => n + v.value, 0);
};
/** statements the catalog sent to its database */
const queries = (t: CatalogTestApp) => total(t.metrics, 'floodgate_db_query_duration_seconds');
/** page loads finished (a miss or a refresh), whatever they did */
const BR = { 'accept-encoding': 'br' };
const loads = (t: CatalogTestApp) => total(t.metrics, 'floodgate_cache_loads_total', { cache: 'catalog-pages', result: 'ok' });

describe('catalog pages refreshed for their stock alone (records kept while no change drops them)', () => {
  let t: CatalogTestApp;
  let shortRecords: CatalogTestApp;
  beforeAll(async () => {
    // pages expire every 300 ms (then 150 ms of grace, in which a GET starts the refresh: a test polls every 20 ms)
    // and inventory is asked at every refresh; the records behind them are kept a minute
    t = await createCatalogTestApp({ cacheTtlMs: 300, availabilityTtlMs: 0, recordTtlMs: 60_000 });
    shortRecords = await createCatalogTestApp({ cacheTtlMs: 100, availabilityTtlMs: 0, recordTtlMs: 400 });
  });
  afterAll(async () => {
    await t?.close();
    await shortRecords?.close();
  });

  const get = (app: CatalogTestApp, url: string, headers: Record<string, string> = {}) => app.app.inject({ method: 'GET', url, headers });
  /** GETs `url` (each GET of a stale page starts its refresh) until `refreshes` more page loads have finished */
  const refreshed = async (app: CatalogTestApp, url: string, refreshes: number) => {
    const target = (await loads(app)) + refreshes;
    await expect.poll(async () => (await get(app, url), loads(app)), { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(target);
  };

  it('when a product page expires and no figure moved, then its refreshes ask inventory only and keep the same entry', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id, { description: 'Stoneware with a speckled glaze. '.repeat(60) });
    t.stock.set(product.variants[0]!.id, 7);
    const url = `/v1/products/${product.slug}`;
    const first = await get(t, url, BR);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    const queriesBefore = await queries(t);
    const askedBefore = t.availabilityCalls.length;

    await refreshed(t, url, 3);
    // the refreshes did happen (inventory was asked each time), and none of them read the product again
    expect(t.availabilityCalls.length).toBeGreaterThanOrEqual(askedBefore + 3);
    expect(await queries(t)).toBe(queriesBefore);
    const later = await get(t, url, BR);
    expect(later.headers.etag).toBe(first.headers.etag);
    expect(later.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('when a figure moves, then the page shows it after a refresh that still reads no product', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const variantId = product.variants[0]!.id;
    t.stock.set(variantId, 5);
    const url = `/v1/products/${product.id}`;
    const first = await get(t, url);
    expect(first.json<PublicProduct>().variants[0]?.available).toBe(5);
    const queriesBefore = await queries(t);

    t.stock.set(variantId, 2);
    await expect.poll(async () => (await get(t, url)).json<PublicProduct>().variants[0]?.available, { timeout: 5_000, interval: 20 }).toBe(2);
    expect(await queries(t)).toBe(queriesBefore);
    expect((await get(t, url)).headers.etag).not.toBe(first.headers.etag);
  });

  it('when an admin changes the product, then the kept record goes with the page: the next answer shows the change at once', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const url = `/v1/products/${product.slug}`;
    await get(t, url);
    await refreshed(t, url, 2);
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { name: 'Renamed by the admin' } });
    expect(patch.statusCode).toBe(200);
    expect((await get(t, url)).json<PublicProduct>().name).toBe('Renamed by the admin');
  });

  it('when a list page expires, then its refresh runs no list query; a product added to it shows at once', async () => {
    const category = await t.createCategory();
    for (let i = 0; i < 3; i++) await t.createProduct(category.id);
    const url = `/v1/products?category=${category.slug}&limit=20`;
    expect((await get(t, url)).json<ProductList>().items).toHaveLength(3);
    const queriesBefore = await queries(t);
    await refreshed(t, url, 3);
    expect(await queries(t)).toBe(queriesBefore);

    await t.createProduct(category.id);
    expect((await get(t, url)).json<ProductList>().items).toHaveLength(4);
  });

  it('when the categories page expires, then its refresh reads nothing; a new category shows at once', async () => {
    const before = (await get(t, '/v1/categories')).json<{ items: unknown[] }>().items.length;
    const queriesBefore = await queries(t);
    await refreshed(t, '/v1/categories', 3);
    expect(await queries(t)).toBe(queriesBefore);
    await t.createCategory();
    expect((await get(t, '/v1/categories')).json<{ items: unknown[] }>().items).toHaveLength(before + 1);
  });

  it('when a page keeps its records, then they count against the page cache\'s bound with its bytes', async () => {
    // an app of its own, where nothing expires or is dropped while the gauge is read
    const own = await createCatalogTestApp({ cacheTtlMs: 60_000, availabilityTtlMs: 60_000, recordTtlMs: 60_000 });
    try {
      const bytes = () => total(own.metrics, 'floodgate_cache_bytes', { cache: 'catalog-pages' });
      const category = await own.createCategory();
      const product = await own.createProduct(category.id);
      const before = await bytes();
      const page = await get(own, `/v1/products/${product.id}`);
      expect(page.headers['content-encoding']).toBeUndefined();
      // the body, and twice as much again for the records kept beside it (surrogate keys and overhead are less)
      expect((await bytes()) - before).toBeGreaterThanOrEqual(3 * page.rawPayload.length);
    } finally {
      await own.close();
    }
  });

  it('when a record changes outside the admin API, then a hot page shows it once the record is older than recordTtlMs', async () => {
    const category = await shortRecords.createCategory();
    const product = await shortRecords.createProduct(category.id);
    const url = `/v1/products/${product.slug}`;
    expect((await get(shortRecords, url)).json<PublicProduct>().name).toBe(product.name);
    // SQL by hand: no invalidation is published, only the records' age brings it to the page
    await sql`update catalog.products set name = 'Renamed in SQL' where id = ${product.id}`.execute(shortRecords.db.kysely);
    await expect.poll(async () => (await get(shortRecords, url)).json<PublicProduct>().name, { timeout: 5_000, interval: 20 }).toBe('Renamed in SQL');
  });
});
