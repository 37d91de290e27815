import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_SERVICES } from '../../../../test/support/services.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { openRedisCacheLevel } from '../../../platform/cache/open-redis-cache-level.js';
import type { SharedCacheLevel } from '../../../platform/cache/redis-cache-level.js';
import type { PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

const logger = { info: () => undefined, warn: () => undefined };
const redisUp = await serviceAvailable('redis');

// two app instances, each with its own in-process pages, sharing one database and one Redis (its own
// key namespace on the shared server: nothing else's keys are touched)
describe.runIf(redisUp)('catalog pages across processes (shared Redis)', () => {
  let a: CatalogTestApp;
  let b: CatalogTestApp;
  const levels: SharedCacheLevel[] = [];
  beforeAll(async () => {
    const name = `catalog-pages-test-${process.pid}-${Date.now()}`;
    const level = () => {
      const l = openRedisCacheLevel({ redisUrl: TEST_SERVICES.redis, name, logger });
      levels.push(l);
      return l;
    };
    // a long ttl: only an invalidation can make the new price appear within the second
    a = await createCatalogTestApp({ cacheTtlMs: 60_000, recordTtlMs: 60_000, availabilityTtlMs: 60_000, sharedPages: level() });
    b = await createCatalogTestApp({ cacheTtlMs: 60_000, recordTtlMs: 60_000, availabilityTtlMs: 60_000, sharedPages: level(), db: a.db });
    await waitFor('both Redis cache connections ready and subscribed', () => levels.every((l) => l.healthy && l.listening), { timeoutMs: 10_000, intervalMs: 20 });
  }, 240_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await Promise.all(levels.map((l) => l.close()));
  });

  const price = async (t: CatalogTestApp, url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    const body = res.json<PublicProduct | { items: PublicProduct[] }>();
    return ('items' in body ? body.items[0] : body)?.variants[0]?.price.amount;
  };

  it('when a price changes in one process, then every process shows it on the product and list pages within 1 s', async () => {
    const category = await a.createCategory();
    const product = await a.createProduct(category.id);
    const urls = [`/v1/products/${product.id}`, `/v1/products/${product.slug}`, `/v1/products?category=${category.id}`];
    for (const t of [a, b]) for (const url of urls) expect(await price(t, url)).toBe(1999);

    const patch = await a.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { variants: [{ id: product.variants[0]!.id, price: { amount: 2599, currency: 'USD' } }] } });
    expect(patch.statusCode).toBe(200);
    for (const url of urls) expect(await price(a, url)).toBe(2599);
    await expect.poll(async () => Promise.all(urls.map((url) => price(b, url))), { timeout: 1_000, interval: 25 }).toEqual([2599, 2599, 2599]);
  });

  it('when a price changes in one process, then every process prices carts from the new price within 1 s (cached variant snapshots)', async () => {
    const remoteInvalidations = async (t: CatalogTestApp) => {
      const metric = await t.metrics.registry.getSingleMetric('floodgate_cache_invalidations_total')?.get();
      return metric?.values.filter((v) => v.labels.cache === 'catalog-pages' && v.labels.origin === 'remote').reduce((n, v) => n + v.value, 0) ?? 0;
    };
    const category = await a.createCategory();
    const heard = await Promise.all([a, b].map(remoteInvalidations));
    const product = await a.createProduct(category.id);
    const variantId = product.variants[0]!.id;
    // the creation's own announcement reaches both processes (a too, through Redis) before anything is cached
    await waitFor('the creation announced to both processes', async () => (await Promise.all([a, b].map(remoteInvalidations))).every((n, i) => n > heard[i]!), { timeoutMs: 5_000, intervalMs: 10 });
    const cachedPrice = async (t: CatalogTestApp) => (await t.catalog.client.getVariantsCached([variantId]))[0]?.price.amount;
    const loads = (t: CatalogTestApp) => t.metrics.registry.getSingleMetricAsString('floodgate_cache_loads_total');
    for (const t of [a, b]) expect(await cachedPrice(t)).toBe(1999);
    // held: asked again, neither process loads it again
    const before = await Promise.all([a, b].map(loads));
    for (const t of [a, b]) expect(await cachedPrice(t)).toBe(1999);
    expect(await Promise.all([a, b].map(loads))).toEqual(before);

    const patch = await a.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { variants: [{ id: variantId, price: { amount: 2799, currency: 'USD' } }] } });
    expect(patch.statusCode).toBe(200);
    expect(await cachedPrice(a)).toBe(2799);
    await expect.poll(() => cachedPrice(b), { timeout: 1_000, interval: 25 }).toBe(2799);
  });
});
