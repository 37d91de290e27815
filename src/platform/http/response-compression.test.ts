import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, name: `Stoneware mug number ${i}`, price: 1999 + i })) };

describe('response compression for answers made per request', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'compression-test', level: 'silent', pretty: false }),
      metrics: createMetrics('compression-test'), authenticate: async () => null, readinessChecks: {},
      modules: [{
        name: 'demo', client: {}, routes: (a) => {
          a.get('/v1/big', { schema: { hide: true } }, async () => big);
          a.get('/v1/small', { schema: { hide: true } }, async () => ({ ok: true }));
          a.get('/v1/big-opted-out', { compress: false, schema: { hide: true } }, async () => big);
          a.post('/v1/echo', { schema: { hide: true, body: z.object({ name: z.string() }) } }, async (req) => req.body);
        },
      }],
    });
    await app.ready();
  });
  afterAll(async () => app?.close());

  const get = (url: string, acceptEncoding?: string) => app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

  it('when a browser accepts br, then a large answer is sent br-compressed, decodes to the same JSON, and says Vary: accept-encoding', async () => {
    const res = await get('/v1/big', 'gzip, deflate, br, zstd');
    expect(res.headers['content-encoding']).toBe('br');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 3);
    expect(JSON.parse(brotliDecompressSync(res.rawPayload).toString())).toEqual(big);
  });

  it('when only gzip is accepted, then gzip; when nothing is, then the plain body', async () => {
    const gz = await get('/v1/big', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(big);
    const plain = await get('/v1/big');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(big);
  });

  it('when the answer is under the threshold, or the route opts out, then it is not compressed', async () => {
    expect((await get('/v1/small', 'br')).headers['content-encoding']).toBeUndefined();
    const optedOut = await get('/v1/big-opted-out', 'br');
    expect(optedOut.headers['content-encoding']).toBeUndefined();
    expect(optedOut.json()).toEqual(big);
  });

  it('when a request body is sent compressed, then it is refused with a 4xx problem, never inflated', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/echo', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(JSON.stringify({ name: 'x'.repeat(10_000) })) });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
  });
});
