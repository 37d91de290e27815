import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx } from '../../src/runtime/cluster/ensure-nginx.js';
import type { ClusterEntry } from '../../src/runtime/cluster/start-cluster.js';
import { createApi, createShopper, type Api } from '../support/api.js';
import { startClusterProcess, type ClusterProcess } from '../support/cluster-process.js';
import { TEST_SHEDDING_ENV } from '../support/test-limits.js';
import { freePort } from '../support/private-postgres.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { TEST_ADMIN } from '../support/shop.js';
import { waitFor } from '../support/wait-for.js';
import { deleteShopTopology } from '../support/rabbitmq-topology.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { closeRedisConnection, createRedisConnection } from '../../src/platform/redis/redis-connection.js';

const services = (await Promise.all([serviceAvailable('postgres'), serviceAvailable('redis'), serviceAvailable('rabbitmq')])).every(Boolean);
const nginx = findNginx();
if (!nginx) {
  if (process.env.CI === 'true') throw new Error('nginx is not installed; CI=true requires it (bash .ci/run installs it)');
  console.warn('\n[floodgate tests] SKIPPING the cluster tests: nginx is not installed (apt-get install nginx, or run `npm run cluster` once).\n');
}

/** the requests one process counted for a route template (its own /metrics, read directly) */
const servedBy = async (entry: ClusterEntry, route: string) => {
  const page = await (await fetch(`${entry.url}/metrics`)).text();
  return page.split('\n').filter((l) => l.startsWith('floodgate_http_request_duration_seconds_count{') && l.includes(`route="${route}"`)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
};

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

/** `workers` clients reading one product (with a token: not the edge's anonymous limit) until told to stop */
function readLoad(api: Api, path: string, token: string, workers = 6) {
  let running = true;
  const statuses: Array<number | string> = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      statuses.push(await api.get(path, { token }).then((r) => r.status, (err: Error) => `${err.name}: ${err.message}`));
    }
  });
  return {
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}

/**
 * The production topology through nginx (`npm run cluster`, started once for this file): three catalog
 * instances, one of each other service, one worker process, the fake PSP, on the shared PostgreSQL, Redis
 * and RabbitMQ (its own database, exchange and Redis prefix). Catalog instances are stopped one by one
 * under load: first gracefully, then with SIGKILL.
 */
describe.skipIf(!services || !nginx)('the local cluster through nginx', () => {
  let cluster: ClusterProcess;
  let dir: string;
  let name: string;
  let api: Api;
  let admin: string;
  let variantId: string;
  let productId: string;
  const catalog = (n: number) => cluster.entries.find((e) => e.name === `catalog-${n}`)!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'floodgate-cluster-'));
    name = `t${randomBytes(4).toString('hex')}`;
    cluster = await startClusterProcess({
      args: ['--port', String(await freePort()), '--dir', dir, '--name', name, '--no-seed', '--catalog', '3', '--flash-sales', '1', '--workers', 'one', '--catalog-read-rate', '10r/s', '--catalog-read-burst', '10', '--ready-timeout', '600'],
      env: {
        CLUSTER_POSTGRES_URL: TEST_SERVICES.postgres,
        REDIS_URL: TEST_SERVICES.redis,
        AMQP_URL: TEST_SERVICES.rabbitmq,
        FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
        FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
        // a stopped instance under constant load never goes quiet: it drains for this long, then closes
        SHUTDOWN_DRAIN_TIMEOUT_MS: '2000',
        // 12 processes on a PostgreSQL shared with other test files: enough for 100 racing checkouts, under its 100 connections
        DATABASE_POOL_SIZE: '6',
        LOG_LEVEL: 'warn',
        // the races below are about correctness: a shared CI box must not turn checkouts into shed 503s
        ...TEST_SHEDDING_ENV,
      },
      timeoutMs: 1_500_000,
    });
    api = createApi(cluster.url);
    const shopper = createShopper(api);
    admin = await shopper.adminToken(TEST_ADMIN);
    ({ variantId, productId } = await shopper.createProduct(admin, { stock: 1_000 }));
  }, 1_520_000);

  afterAll(async () => {
    await cluster?.kill();
    // the cluster's exchange and queues are named after it (floodgate.<name>), like its database
    if (name) await deleteShopTopology(`floodgate.${name}`);
    if (name) {
      const client = new pg.Client({ connectionString: TEST_SERVICES.postgres });
      await client.connect();
      await client.query(`drop database if exists floodgate_${name} with (force)`);
      await client.end();
      // its carts, page cache, limits and sale counters live under its own prefix in the shared Redis
      const redis = createRedisConnection({ url: TEST_SERVICES.redis, name: 'cluster-test-cleanup', logger: { info: () => {}, warn: () => {} } });
      await deleteKeysUnder(redis, `floodgate:${name}:`);
      await closeRedisConnection(redis);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('when a guest buys through nginx, then the order is paid by the worker process and the stock drops', async () => {
    const shopper = createShopper(api);
    const token = await shopper.guestToken();
    const placed = await shopper.checkout(token, await shopper.cartWith(token, variantId, 2));
    expect(placed.status, JSON.stringify(placed.body)).toBe(202);
    expect((await shopper.settledOrder(token, placed.body.orderId, 60_000)).status).toBe('paid');
    expect((await shopper.stock(admin, variantId)).onHand).toBe(998);
    // the settle wait is 60 s: twelve processes share two cores with whatever else CI runs beside them
  }, 90_000);

  it('when a request carries an X-Request-Id, then the same id comes back through the edge', async () => {
    const id = `cluster-${randomUUID()}`;
    const res = await api.get('/v1/categories', { headers: { 'x-request-id': id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it('when a product is read 30 times, then the reads land on every catalog instance', async () => {
    const token = await createShopper(api).guestToken();
    for (let i = 0; i < 30; i++) expect((await api.get(`/v1/products/${productId}`, { token })).status).toBe(200);
    const counts = await Promise.all([1, 2, 3].map((n) => servedBy(catalog(n), '/v1/products/:idOrSlug')));
    for (const count of counts) expect(count).toBeGreaterThan(0);
  });

  it('when an admin turns the stock-counts switch on through nginx, then every catalog instance (each its own `serve catalog`) shows in-stock, not counts', async () => {
    const read = async (n: number) => (await fetch(`${catalog(n).url}/v1/products/${productId}`)).json() as Promise<{ variants: Array<{ id: string; available: number }> }>;
    const availableOn = async (n: number) => (await read(n)).variants.find((v) => v.id === variantId)?.available;
    for (const n of [1, 2, 3]) expect(await availableOn(n)).toBeGreaterThan(1);
    const set = await api.put('/v1/admin/degradation/stock-counts', { mode: 'on' }, { token: admin });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      // the setting travels through Redis: each instance takes it within a second or two
      for (const n of [1, 2, 3]) await waitFor(`catalog-${n} to show in-stock (1)`, async () => (await availableOn(n)) === 1, { timeoutMs: 15_000 });
    } finally {
      expect((await api.put('/v1/admin/degradation/stock-counts', { mode: 'auto' }, { token: admin })).status).toBe(200);
    }
    for (const n of [1, 2, 3]) await waitFor(`catalog-${n} to show counts again`, async () => ((await availableOn(n)) ?? 0) > 1, { timeoutMs: 15_000 });
  });

  it('when a 100-product page is read through nginx, then its ~5 KB Surrogate-Key header passes (a 4 KB header buffer made it a 502)', async () => {
    const shopper = createShopper(api);
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 10 }, () => shopper.createProduct(admin, { stock: 1 })));
    // with a token: the edge's per-address limit on anonymous reads is another test's subject
    const res = await fetch(`${cluster.url}/v1/products?limit=100`, { headers: { authorization: `Bearer ${await shopper.guestToken()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('surrogate-key')?.length).toBeGreaterThan(4_096);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(100);
  }, 60_000);

  it('when a big JSON answer is asked for with Accept-Encoding gzip, then nginx compresses it', async () => {
    const res = await fetch(`${cluster.url}/v1/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(await res.text())).toHaveProperty('openapi');
  });

  it("when the document is read through nginx, then it is the whole API's, from docs-1, a process with no database that answers no operation", async () => {
    const doc = (await (await fetch(`${cluster.url}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/auth/login', '/v1/carts', '/v1/checkout', '/v1/flash-sales/{id}/queue', '/v1/admin/audit', '/v1/admin/degradation']));
    const docs = cluster.entries.find((e) => e.name === 'docs-1')!;
    expect(await servedBy(docs, '/v1/openapi.json')).toBeGreaterThan(0);
    expect((await fetch(`${docs.url}/v1/products`)).status).toBe(404);
    expect((await fetch(`${docs.url}/readyz`)).status).toBe(200);
    // handed none of the cluster's backends or keys (cluster-topology.ts: unset)
    const environ = readFileSync(`/proc/${docs.pid}/environ`, 'utf8').split('\0').map((kv) => kv.split('=')[0]);
    expect(environ.filter((v) => ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'FLOODGATE_SERVICE_KEY', 'FLOODGATE_KEY_ENCRYPTION_KEY'].includes(v!))).toEqual([]);
  });

  it('when internal routes, /metrics or /ops are asked for at the edge, then 404 problem+json, and the processes still serve /metrics directly', async () => {
    for (const path of ['/internal/catalog/products', '/v1/internal/x', '/metrics', '/ops', '/ops/summary.json']) {
      const res = await api.get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await fetch(`${catalog(1).url}/metrics`)).status).toBe(200);
  });

  it('when one address sends a burst of anonymous catalog reads, then the edge answers 429 problem+json with Retry-After, and reads with a token are not counted', async () => {
    const anonymous = await Promise.all(Array.from({ length: 40 }, () => api.get('/v1/categories')));
    const limited = anonymous.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(limited[0]!.body.code).toBe('EDGE_RATE_LIMITED');
    const token = await createShopper(api).guestToken();
    const withToken = await Promise.all(Array.from({ length: 40 }, () => api.get('/v1/categories', { token })));
    expect(withToken.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  });

  it('when 100 shoppers check out at once for 10 units through nginx, then exactly 10 orders are accepted and 90 get a clean 409', async () => {
    const shopper = createShopper(api);
    const { variantId: scarce } = await shopper.createProduct(admin, { stock: 10 });
    // the carts are made 10 at a time: the race under test is the checkouts
    const shoppers: Array<{ token: string; cartId: string }> = [];
    for (let i = 0; i < 10; i++) {
      shoppers.push(...(await Promise.all(Array.from({ length: 10 }, async () => {
        const token = await shopper.guestToken();
        return { token, cartId: await shopper.cartWith(token, scarce, 1) };
      }))));
    }
    // a checkout the shop sheds or times out on a busy machine (503 with Retry-After) is sent again with its
    // key, as the SDK does: the race under test is about the final answers
    const results = await Promise.all(shoppers.map((s) => shopper.checkoutToFinalAnswer(s.token, s.cartId)));
    const final = (r: (typeof results)[number]) => `${r.status} ${r.body?.code ?? ''} (after: ${r.retried.join(', ') || 'none'})`;
    expect(results.filter((r) => r.status !== 202 && !(r.status === 409 && r.body.code === 'CHECKOUT_INSUFFICIENT_STOCK')).map(final)).toEqual([]);
    expect(results.filter((r) => r.status === 202)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(90);
    await waitFor('every accepted order settled', async () => (await shopper.stock(admin, scarce)).reserved === 0, { timeoutMs: 100_000 });
    expect(await shopper.stock(admin, scarce)).toEqual(expect.objectContaining({ onHand: 0, reserved: 0, available: 0 }));
  }, 160_000);

  it('when 30 identical checkouts race with one idempotency key through nginx, then one order exists', async () => {
    const shopper = createShopper(api);
    const token = await shopper.guestToken();
    const cartId = await shopper.cartWith(token, variantId, 1);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 30 }, () => shopper.checkout(token, cartId, 'tok_visa', key)));
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted.length + results.filter((r) => r.status === 409 && r.body.code === 'IDEMPOTENCY_KEY_IN_PROGRESS').length).toBe(30);
    expect(new Set(accepted.map((r) => r.body.orderId)).size).toBe(1);
    expect((await api.get('/v1/orders', { token })).body.items).toHaveLength(1);
  });

  it('when a catalog instance gets SIGTERM under load, then it drains and exits 0, nginx moves its reads to the others, and no read fails', async () => {
    const token = await createShopper(api).guestToken();
    const load = readLoad(api, `/v1/products/${productId}`, token);
    await waitFor('load running', () => load.statuses.length > 20, { timeoutMs: 30_000 });
    const victim = catalog(1);
    process.kill(victim.pid, 'SIGTERM');
    await waitFor(`catalog-1 (pid ${victim.pid}) to exit`, () => gone(victim.pid), { timeoutMs: 30_000 });
    const after = load.statuses.length;
    await waitFor('reads after the exit', () => load.statuses.length > after + 30, { timeoutMs: 30_000 });
    const statuses = await load.stop();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await waitFor('the cluster to report the exit', () => cluster.output().includes(`catalog-1 (pid ${victim.pid}) stopped: exit code 0`), { timeoutMs: 10_000 }).catch((e: unknown) => { throw new Error(`${String(e)}\n--- cluster output:\n${cluster.output().slice(-3000)}\n--- catalog-1.log:\n${readFileSync(join(dir, 'logs', 'catalog-1.log'), 'utf8').slice(-4000)}`); });
  }, 90_000);

  it('when a catalog instance is killed (SIGKILL) under load, then nginx retries its reads on the other and no read fails', async () => {
    const token = await createShopper(api).guestToken();
    const load = readLoad(api, `/v1/products/${productId}`, token);
    await waitFor('load running', () => load.statuses.length > 20, { timeoutMs: 30_000 });
    const victim = catalog(2);
    process.kill(victim.pid, 'SIGKILL');
    await waitFor('catalog-2 to die', () => gone(victim.pid), { timeoutMs: 10_000 });
    const after = load.statuses.length;
    await waitFor('reads after the kill', () => load.statuses.length > after + 50, { timeoutMs: 30_000 });
    const statuses = await load.stop();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const before = await servedBy(catalog(3), '/v1/products/:idOrSlug');
    for (let i = 0; i < 5; i++) expect((await api.get(`/v1/products/${productId}`, { token })).status).toBe(200);
    expect(await servedBy(catalog(3), '/v1/products/:idOrSlug')).toBe(before + 5);
  }, 90_000);

  it('when the cluster gets SIGTERM, then it stops every process it started and exits 0', async () => {
    const pids = cluster.entries.map((e) => e.pid);
    expect(await cluster.stop()).toBe(0);
    expect(pids.filter((pid) => !gone(pid))).toEqual([]);
    expect(existsSync(join(dir, 'logs', 'nginx-access.log'))).toBe(true);
    expect(readFileSync(join(dir, 'logs', 'nginx-access.log'), 'utf8')).toMatch(/upstream=127\.0\.0\.1:\d+ upstream_status=200/);
  }, 120_000);
});
