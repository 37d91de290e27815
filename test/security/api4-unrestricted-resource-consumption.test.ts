// OWASP API4:2023 Unrestricted Resource Consumption: what one client can make the server hold or do.
// Covered here: socket timeouts (slow body, slow headers, idle keep-alive), the body limit, page-size
// caps, cart caps, over-long parameters, deeply nested JSON, and request rate: a login flood from one
// address is throttled, a catalog flood is shed before it costs the database anything. Every limit's
// own keys and headers are tested in test/e2e/limits.test.ts; this file attacks them as a client would.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { serviceAvailable } from '../support/services.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { openRaw, type RawExchange } from './raw-http.js';
import { CONCURRENCY_SHARE } from '../../src/platform/overload/admission-controller.js';

const REQUEST_TIMEOUT_MS = 2_000;
const HEADERS_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
// Node sweeps for expired requests every headersTimeout/4 here (server-timeouts.ts); the rest is scheduling slack
const SLACK_MS = 1_500;
// per client address; the attacks below come from their own addresses (X-Forwarded-For, trusted from loopback)
const LOGINS_PER_MINUTE = 10;

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
      RATE_LIMIT_LOGIN_PER_ADDRESS: `${LOGINS_PER_MINUTE}/1m`,
    });
    api = createApi(shop.url);
    host = new URL(shop.url).host;
  });
  afterAll(() => shop?.dispose());

  // the three socket timeouts are waited out side by side: each has its own connection and its own clock
  it.concurrent('when a client dribbles its body one byte every 100 ms, then it gets 408 and is cut off at the request timeout', async () => {
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

  it.concurrent('when a client sends its headers one line every 100 ms and never finishes (slowloris), then it is cut off at the headers timeout', async () => {
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

  it.concurrent('when a keep-alive connection sits idle after its answer, then the server closes it at the keep-alive timeout', async () => {
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

  it('when one address sends 60 logins in a burst, then everything past its limit is 429 with Retry-After and never reaches the password check, and another address still logs in', async () => {
    const shopper = createShopper(api);
    const victim = await shopper.register();
    const attacker = { 'x-forwarded-for': '10.4.0.1' };
    const answers = [];
    for (let i = 0; i < 60; i += 1) {
      answers.push(await api.post('/v1/auth/login', { email: victim.email, password: `guess-${i}-long-enough` }, { headers: attacker }));
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, LOGINS_PER_MINUTE).every((s) => s === 401), statuses.join(',')).toBe(true);
    const refused = answers.slice(LOGINS_PER_MINUTE);
    expect(refused.every((a) => a.status === 429), statuses.join(',')).toBe(true);
    for (const a of refused) {
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // the right password from the attacker's address is refused too: the limit is on the address, not the guess
    expect((await api.post('/v1/auth/login', { email: victim.email, password: 'a-long-password-1' }, { headers: attacker })).status).toBe(429);
    expect((await api.post('/v1/auth/login', { email: victim.email, password: 'a-long-password-1' }, { headers: { 'x-forwarded-for': '10.4.0.2' } })).status).toBe(200);
  });

});

const postgres = await serviceAvailable('postgres');

// On PostgreSQL a request waits for the database on a socket, so a burst piles up in flight. (On PGlite a
// query runs inside the event loop's own turn: requests are served one after another and it is the
// event-loop delay signal that sheds, as load-shedding.test.ts shows with injected signals.)
describe.skipIf(!postgres)('API4 catalog flood on PostgreSQL', () => {
  const CONCURRENCY_LIMIT = 4;
  let shop: TestShop;
  let api: Api;
  let host: string;
  let database: TcpProxy;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // the shop reaches its database through a proxy the test can hold: admitted searches then stay in flight
    // until the test lets them go, so the flood exceeds the limit on a slow machine as surely as on a fast one
    const fresh = await createPostgresTestDatabaseUrl();
    dropDatabase = fresh.drop;
    const url = new URL(fresh.url);
    database = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${database.port}`;
    shop = await startTestShop('postgres', {
      // a small fixed concurrency limit: a search (low class) may hold 2 requests in flight
      OVERLOAD_CONCURRENCY_INITIAL: String(CONCURRENCY_LIMIT),
      OVERLOAD_CONCURRENCY_MIN: String(CONCURRENCY_LIMIT),
      OVERLOAD_CONCURRENCY_MAX: String(CONCURRENCY_LIMIT),
      // this test is about the in-flight limit: the held searches answer seconds late once released, which the
      // latency signal would rightly take for a queue and shed the next search for a moment
      OVERLOAD_LATENCY_INTERVAL_MS: '0',
    }, { databaseUrl: url.toString() });
    api = createApi(shop.url);
    host = new URL(shop.url).host;
  });
  afterAll(async () => {
    database?.release();
    await shop?.dispose();
    await database?.close();
    await dropDatabase?.();
  });

  it('when one client floods the catalog with 100 parallel searches, then the excess is shed with 503 OVERLOADED and Retry-After before any work, and the shop answers normally afterwards', async () => {
    const shedBefore = await shedCount(shop.url);
    const sockets = await Promise.all(Array.from({ length: 100 }, () => openRaw(shop.url, '')));
    // the database answers nothing until release(): a search that is admitted stays in flight, whatever the machine's speed
    database.hold();
    let answeredWhileHeld: number[];
    try {
      sockets.forEach((raw, i) => raw.write(`GET /v1/products?limit=20&q=flood${i} HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-For: 10.4.1.1\r\nConnection: close\r\n\r\n`));
      // searches (low class) fill their share of the limit and are held; every other search must be answered while
      // the database is still held: wait for all of them (the share's count, not the whole limit, or the
      // snapshot below may be taken while the last shed answers are still on their way)
      const admitted = Math.max(1, Math.floor(CONCURRENCY_LIMIT * CONCURRENCY_SHARE.low));
      const answered = () => sockets.flatMap((raw, i) => (raw.status() === undefined ? [] : [i]));
      await expect.poll(() => answered().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(100 - admitted);
      answeredWhileHeld = answered();
    } finally {
      database.release();
    }
    // the admitted ones finish once the database answers again
    await Promise.all(sockets.map((raw) => raw.closed));
    const statuses = sockets.map((raw) => raw.status());
    expect(statuses.every((s) => s === 200 || s === 503), statuses.join(',')).toBe(true);
    expect(statuses.filter((s) => s === 200).length, statuses.join(',')).toBeGreaterThan(0);
    // the shed ones are exactly those answered while no search could reach the database
    const shedIndexes = statuses.flatMap((s, i) => (s === 503 ? [i] : []));
    expect(shedIndexes).toEqual(answeredWhileHeld);
    const shed = shedIndexes.map((i) => sockets[i]!.response());
    for (const text of shed) {
      expect(text).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      expect(Number(/\r\nretry-after: (\d+)/i.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      expect(text).toContain('"code":"OVERLOADED"');
    }
    // each shed answer was counted as shed before the route ran (load-shedding.test.ts proves no handler runs)
    expect(await shedCount(shop.url)).toBe(shedBefore + shed.length);
    expect((await api.get('/v1/products?limit=20')).status).toBe(200);
  });
});

async function shedCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('floodgate_shed_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
