// OWASP API4:2023 Unrestricted Resource Consumption: what one client can make the server hold or do.
// Covered here: socket timeouts (slow body, slow headers, idle keep-alive), the body limit, page-size
// caps, cart caps, over-long parameters and deeply nested JSON.
// NOT covered yet: request-rate limits and login/registration throttling. They arrive with the
// overload-and-abuse issue (429 + Retry-After + RateLimit headers, DESIGN.md §3); the todo below
// marks the gap so it is not mistaken for coverage.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { openRaw, type RawExchange } from './raw-http.js';

const REQUEST_TIMEOUT_MS = 2_000;
const HEADERS_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
// Node sweeps for expired requests every headersTimeout/4 here (server-timeouts.ts); the rest is scheduling slack
const SLACK_MS = 1_500;

/** Waits for the server to close the connection, at most `deadlineMs`; returns how long it took. */
async function closedWithin(raw: RawExchange, startedAt: number, deadlineMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'open'>((resolve) => { timer = setTimeout(() => resolve('open'), deadlineMs); });
  const outcome = await Promise.race([raw.closed.then(() => 'closed' as const), deadline]);
  clearTimeout(timer);
  raw.destroy();
  expect(outcome, `connection still open after ${deadlineMs} ms`).toBe('closed');
  return Date.now() - startedAt;
}

describe('API4 unrestricted resource consumption', () => {
  let shop: TestShop;
  let api: Api;
  let host: string;

  beforeAll(async () => {
    shop = await startTestShop('pglite', {
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      HTTP_CONNECTION_TIMEOUT_MS: '10000',
    });
    api = createApi(shop.url);
    host = new URL(shop.url).host;
  });
  afterAll(() => shop?.dispose());

  it('when a client dribbles its body one byte every 100 ms, then it gets 408 and is cut off at the request timeout', async () => {
    const startedAt = Date.now();
    const raw = await openRaw(shop.url, `POST /v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{`);
    const drip = setInterval(() => raw.write(' '), 100);
    try {
      const tookMs = await closedWithin(raw, startedAt, REQUEST_TIMEOUT_MS + SLACK_MS);
      expect(tookMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(raw.status()).toBe(408);
    } finally {
      clearInterval(drip);
    }
  });

  it('when a client sends its headers one line every 100 ms and never finishes (slowloris), then it is cut off at the headers timeout', async () => {
    const startedAt = Date.now();
    const raw = await openRaw(shop.url, `GET /v1/products HTTP/1.1\r\nHost: ${host}\r\n`);
    let n = 0;
    const drip = setInterval(() => raw.write(`X-Pad-${n++}: a\r\n`), 100);
    try {
      const tookMs = await closedWithin(raw, startedAt, HEADERS_TIMEOUT_MS + SLACK_MS);
      expect(tookMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      expect(raw.status()).toBe(408);
    } finally {
      clearInterval(drip);
    }
  });

  it('when a keep-alive connection sits idle after its answer, then the server closes it at the keep-alive timeout', async () => {
    const raw = await openRaw(shop.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await expect.poll(() => raw.status(), { timeout: 5_000 }).toBe(200);
    const answeredAt = Date.now();
    const idleMs = await closedWithin(raw, answeredAt, KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
    expect(idleMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 200);
  });

  it('when a body over 64 KiB is sent, then 413 problem+json and nothing is registered', async () => {
    const email = `big-${randomUUID()}@example.com`;
    const res = await api.post('/v1/auth/register', { email, password: 'a-long-password-1', name: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.post('/v1/auth/login', { email, password: 'a-long-password-1' })).status).toBe(401);
  });

  it('when a client announces a 100 MB body, then it is refused with 413 before the body is read', async () => {
    const raw = await openRaw(shop.url, `POST /v1/auth/register HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{`);
    await expect.poll(() => raw.status(), { timeout: 5_000 }).toBe(413);
    raw.destroy();
  });

  it('when lists are asked for huge pages, then the page size is capped with a 400 naming query.limit', async () => {
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const customer = await shopper.register();
    for (const [path, token] of [['/v1/products', undefined], ['/v1/orders', customer.token], ['/v1/admin/api-keys', admin]] as const) {
      for (const limit of ['101', '1000000', '1e9', '-1']) {
        const res = await api.get(`${path}?limit=${limit}`, token ? { token } : {});
        expect(res.status, `${path}?limit=${limit}`).toBe(400);
        expect(JSON.stringify(res.body.errors), path).toContain('query.limit');
      }
    }
  });

  it('when a cart is stuffed past its caps (quantity over 99, a 51st line), then each is refused and the cart keeps its caps', async () => {
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const customer = await shopper.register();
    const suffix = randomUUID().slice(0, 8);
    const category = await api.post('/v1/admin/categories', { slug: `caps-${suffix}`, name: `Caps ${suffix}` }, { token: admin });
    const variants: string[] = [];
    for (const batch of [50, 1]) {
      const product = await api.post('/v1/admin/products', {
        name: `Caps ${suffix} ${batch}`, description: 'caps', categoryId: category.body.id,
        variants: Array.from({ length: batch }, (_, i) => ({ sku: `CAP-${suffix}-${batch}-${i}`, title: `V${i}`, price: { amount: 100, currency: 'USD' } })),
      }, { token: admin });
      expect(product.status).toBe(201);
      for (const v of product.body.variants as Array<{ id: string }>) {
        await api.put(`/v1/admin/inventory/${v.id}`, { onHand: 500 }, { token: admin });
        variants.push(v.id);
      }
    }
    const cart = (await api.post('/v1/carts', undefined, { token: customer.token })).body.id as string;
    const tooMany = await api.post(`/v1/carts/${cart}/items`, { variantId: variants[0], quantity: 100 }, { token: customer.token });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.errors)).toContain('body.quantity');
    for (const variantId of variants.slice(0, 50)) expect((await api.post(`/v1/carts/${cart}/items`, { variantId, quantity: 1 }, { token: customer.token })).status).toBe(201);
    const fiftyFirst = await api.post(`/v1/carts/${cart}/items`, { variantId: variants[50], quantity: 1 }, { token: customer.token });
    expect(fiftyFirst.status).toBe(422);
    expect(fiftyFirst.body.code).toBe('CARTS_LINE_LIMIT');
    expect((await api.get(`/v1/carts/${cart}`, { token: customer.token })).body.items).toHaveLength(50);
  }, 60_000);

  it('when a path parameter is 3,000 characters long, then 400 problem+json; when the URL is 60,000 characters, Node refuses it with 431 before any work', async () => {
    const long = await fetch(`${shop.url}/v1/products/${'a'.repeat(3_000)}`);
    expect(long.status).toBe(400);
    expect(long.headers.get('content-type')).toContain('application/problem+json');
    const huge = await fetch(`${shop.url}/v1/products/${'b'.repeat(60_000)}`);
    expect(huge.status).toBe(431);
  });

  it('when a body nests arrays 20,000 deep inside the size limit, then 400 and the process keeps answering', async () => {
    const deep = `{"email":${'['.repeat(20_000)}${']'.repeat(20_000)},"password":"x"}`;
    const res = await api.post('/v1/auth/login', undefined, { raw: deep });
    expect(res.status).toBe(400);
    expect((await api.get('/healthz')).status).toBe(200);
  });

  it.todo('when one address sends 1,000 logins a minute, then it is throttled with 429 and Retry-After (rate limits: overload-and-abuse issue)');
  it.todo('when one client floods the catalog past its share, then it is shed with 429/503 before the database (overload-and-abuse issue)');
});
