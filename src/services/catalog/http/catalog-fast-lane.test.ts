import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** a real HTTP GET with the body as sent (no decompression): what a browser or CDN receives */
const rawGet = (base: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });

/** the headers that must be equal on every answer to the same request (the id and the clock differ by design) */
const comparable = (a: RawAnswer) => {
  const { date: _date, 'x-request-id': _id, ...rest } = a.headers;
  return rest;
};

describe('the fast lane for rendered catalog pages (real HTTP)', () => {
  let t: CatalogTestApp;
  let base: string;
  const laneAnswers = async () => {
    const metric = t.metrics.registry.getSingleMetric('floodgate_http_fast_lane_answers_total');
    return metric ? (await metric.get()).values.reduce((n, v) => n + v.value, 0) : 0;
  };

  beforeAll(async () => {
    t = await createCatalogTestApp({ cacheTtlMs: 60_000, availabilityTtlMs: 60_000 });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  const bigProduct = async () => {
    const category = await t.createCategory();
    return { category, product: await t.createProduct(category.id, { description: 'Hand-thrown stoneware with a speckled glaze. '.repeat(60) }) };
  };

  it('when a page was answered once, then the next identical GETs are answered by the lane with the same status, headers and bytes, in every coding and for 304', async () => {
    const { category, product } = await bigProduct();
    const urls = [`/v1/products/${product.slug}`, `/v1/products?category=${category.id}&limit=5`, '/v1/categories'];
    const variants: Record<string, string>[] = [{ 'accept-encoding': 'gzip, deflate, br, zstd' }, { 'accept-encoding': 'gzip' }, {}];
    for (const url of urls) {
      for (const headers of variants) {
        const before = await laneAnswers();
        const first = await rawGet(base, url, headers);
        const second = await rawGet(base, url, headers);
        expect(first.status, url).toBe(200);
        // the first of these for a URL is the framework's answer; every later one is the lane's
        expect(await laneAnswers(), url).toBeGreaterThanOrEqual(before + 1);
        expect(second.status).toBe(first.status);
        expect(comparable(second)).toEqual(comparable(first));
        expect(second.body.equals(first.body)).toBe(true);
        const etag = String(first.headers.etag);
        const revalidated = await rawGet(base, url, { ...headers, 'if-none-match': etag });
        expect(revalidated.status).toBe(304);
        expect(revalidated.body.length).toBe(0);
        expect(revalidated.headers.etag).toBe(etag);
      }
    }
    // the framework's own answer to the same request (inject never meets the lane) carries the same headers
    const url = urls[0]!;
    const framework = await t.app.inject({ method: 'GET', url, headers: variants[0] });
    const lane = await rawGet(base, url, variants[0]);
    const { date: _d, 'x-request-id': _i, connection: _c, 'keep-alive': _k, ...frameworkHeaders } = framework.headers;
    const { connection: _c2, 'keep-alive': _k2, ...laneHeaders } = comparable(lane);
    expect(laneHeaders).toEqual(frameworkHeaders);
    expect(lane.body.equals(framework.rawPayload)).toBe(true);
  });

  it('when a lane answer is sent, then it has its own request id (or the caller\'s) and is counted in the route\'s duration histogram', async () => {
    const { product } = await bigProduct();
    const url = `/v1/products/${product.slug}`;
    await rawGet(base, url);
    const before = await laneAnswers();
    const a = await rawGet(base, url);
    const b = await rawGet(base, url, { 'x-request-id': 'caller-chosen-id-123' });
    expect(await laneAnswers()).toBe(before + 2);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toBe('caller-chosen-id-123');
    const histogram = (await t.metrics.registry.getSingleMetric('floodgate_http_request_duration_seconds')!.get()).values;
    const count = histogram.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.route === '/v1/products/:idOrSlug' && v.labels.status === '200');
    expect(count?.value).toBeGreaterThanOrEqual(3);
  });

  it('when an admin changes a price, then the lane never answers the old page: the next GET shows the new price', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const url = `/v1/products/${product.slug}`;
    const price = async () => (JSON.parse((await rawGet(base, url)).body.toString()) as PublicProduct).variants[0]!.price.amount;
    expect(await price()).toBe(1999);
    expect(await price()).toBe(1999);
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/admin/products/${product.id}`, headers: ADMIN, payload: { variants: [{ id: product.variants[0]!.id, price: { amount: 2599, currency: 'USD' } }] } });
    expect(patch.statusCode).toBe(200);
    expect(await price()).toBe(2599);
  });

  it('when a request is invalid or unseen, then the lane steps aside: the route answers it and nothing is remembered for it', async () => {
    const { product } = await bigProduct();
    const lane = t.app.fastLane!;
    const url = `/v1/products/${product.slug}`;
    await rawGet(base, url);
    const remembered = lane.size();
    const before = await laneAnswers();
    const unknownParam = await rawGet(base, `/v1/products?limit=5&utm_source=${'x'.repeat(300)}`);
    expect(unknownParam.status).toBe(400);
    expect(String(unknownParam.headers['content-type'])).toContain('application/problem+json');
    const missing = await rawGet(base, '/v1/products/no-such-product-slug');
    expect(missing.status).toBe(404);
    expect(await rawGet(base, '/v1/products/no-such-product-slug').then((r) => r.status)).toBe(404);
    // a validator the route refuses (over its length) is refused on the remembered URL too, by the route
    const huge = await rawGet(base, url, { 'if-none-match': `"${'a'.repeat(5_000)}"` });
    expect(huge.status).toBe(400);
    expect(await laneAnswers()).toBe(before);
    expect(lane.size()).toBe(remembered);
  });
});
