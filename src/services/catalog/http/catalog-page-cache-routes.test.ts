import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../../platform/telemetry/metrics.js';
import type { PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

const sum = async (metrics: Metrics, name: string, match: Record<string, string> = {}) => {
  const metric = metrics.registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values
    .filter((v) => (v as { metricName?: string }).metricName === undefined || (v as { metricName?: string }).metricName!.endsWith('_count') || !name.endsWith('_seconds'))
    .filter((v) => Object.entries(match).every(([k, want]) => v.labels[k] === want))
    .reduce((n, v) => n + v.value, 0);
};
const queries = (t: CatalogTestApp) => sum(t.metrics, 'floodgate_db_query_duration_seconds');

describe('rendered catalog pages (compression, validators, CDN headers, query cost)', () => {
  let t: CatalogTestApp;
  beforeAll(async () => {
    // a long ttl: nothing here may depend on a page expiring
    t = await createCatalogTestApp({ cacheTtlMs: 60_000, availabilityTtlMs: 60_000 });
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const bigProduct = async () => {
    const category = await t.createCategory();
    // a description long enough to pass the compression threshold
    return t.createProduct(category.id, { description: 'Hand-thrown stoneware with a speckled glaze. '.repeat(60) });
  };

  it('when br, gzip, nothing or garbage is accepted, then each gets the same JSON in that coding with its own strong ETag', async () => {
    const product = await bigProduct();
    const url = `/v1/products/${product.slug}`;
    const plain = await get(url, { 'accept-encoding': 'identity' });
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gz = await get(url, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    const junk = await get(url, { 'accept-encoding': ';;;q=abc,,\u0001' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(junk.headers['content-encoding']).toBeUndefined();
    const json = plain.json<PublicProduct>();
    expect(json.id).toBe(product.id);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(json);
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(json);
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    for (const res of [plain, br, gz]) {
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['cache-control']).toMatch(/^public, .*s-maxage=\d+, stale-while-revalidate=\d+/);
      expect(res.headers['surrogate-key']).toBe(`product-${product.id} category-${product.categoryId}`);
    }
  });

  it('when If-None-Match carries any coding\'s tag, weak or strong, then 304; a malformed one gets the full answer', async () => {
    const product = await bigProduct();
    const url = `/v1/products/${product.id}`;
    const br = await get(url, { 'accept-encoding': 'br' });
    const tag = br.headers.etag as string;
    expect((await get(url, { 'if-none-match': tag })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': `W/${tag}`, 'accept-encoding': 'gzip' })).statusCode).toBe(304);
    for (const bad of ['"unterminated', 'W/', ',,,', '"x" "y"']) {
      const res = await get(url, { 'if-none-match': bad });
      expect(res.statusCode, bad).toBe(200);
      expect(res.json<PublicProduct>().id).toBe(product.id);
    }
  });

  it('when query strings carry unknown or huge parameters, then 400 names them and the cache gains no entry', async () => {
    const lookups = () => sum(t.metrics, 'floodgate_cache_lookups_total', { cache: 'catalog-pages' });
    const before = await lookups();
    for (const url of ['/v1/products?utm_source=x', `/v1/products?q=${'a'.repeat(5_000)}`, '/v1/products/some-slug?v=123', '/v1/categories?cb=1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await get('/v1/products?utm_source=x')).json()).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining('utm_source') })]) });
    expect(await lookups()).toBe(before);
  });

  it('when 1,000 requests ask for a cold product page at once, then the database sees at most 2 queries for it', async () => {
    const product = await bigProduct();
    const before = await queries(t);
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => get(`/v1/products/${product.slug}`)));
    expect(new Set(answers.map((a) => a.statusCode))).toEqual(new Set([200]));
    expect(await queries(t)).toBeLessThanOrEqual(before + 2);
  }, 60_000);

  it('when a list page misses, then it costs at most 3 queries; a repeat costs none', async () => {
    const category = await t.createCategory();
    for (let i = 0; i < 3; i++) await t.createProduct(category.id);
    const before = await queries(t);
    expect((await get(`/v1/products?category=${category.slug}&limit=20`)).json<{ items: unknown[] }>().items).toHaveLength(3);
    const afterMiss = await queries(t);
    expect(afterMiss - before).toBeGreaterThan(0); // the counting works: a miss does reach the database
    expect(afterMiss - before).toBeLessThanOrEqual(3);
    await get(`/v1/products?category=${category.slug}&limit=20`);
    expect(await queries(t)).toBe(afterMiss);
  });

  it('when an admin changes a price, then the product page and the list pages that held it show it at once', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const listUrl = `/v1/products?category=${category.id}`;
    expect((await get(listUrl)).json<{ items: PublicProduct[] }>().items[0]?.variants[0]?.price.amount).toBe(1999);
    expect((await get(`/v1/products/${product.id}`)).json<PublicProduct>().variants[0]?.price.amount).toBe(1999);
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { variants: [{ id: product.variants[0]!.id, price: { amount: 2599, currency: 'USD' } }] } });
    expect(patch.statusCode).toBe(200);
    expect((await get(`/v1/products/${product.id}`)).json<PublicProduct>().variants[0]?.price.amount).toBe(2599);
    expect((await get(listUrl)).json<{ items: PublicProduct[] }>().items[0]?.variants[0]?.price.amount).toBe(2599);
  });
});
