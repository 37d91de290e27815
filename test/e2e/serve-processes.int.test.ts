import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceOfPath, serviceUrlVariable, type ServiceName } from '../../src/runtime/service-names.js';
import { createApi, createShopper, type Api } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/private-postgres.js';
import { pino } from 'pino';
import pg from 'pg';
import { LISTENER_APPLICATION_NAME } from '../../src/platform/db/postgres-listener.js';
import { SESSION_REVOCATIONS_CHANNEL } from '../../src/services/customers/contract/session-revocations.js';
import { createFakePspServer } from '../../src/services/payments/fake-psp/fake-psp-server.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { startShopProcess, type ShopProcess } from '../support/shop-process.js';
import { deleteShopTopology } from '../support/rabbitmq-topology.js';
import { waitFor } from '../support/wait-for.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));
const available = (await serviceAvailable('postgres')) && (await serviceAvailable('rabbitmq'));
// flash-sales is left out: orders runs without FLASH_SALES_URL (no reservation checkout), which keeps
// this test at six processes on a shared two-core machine
const SERVED: ServiceName[] = ['customers', 'catalog', 'inventory', 'carts', 'payments', 'orders'];
const ADMIN = { email: 'serve-admin@example.com', password: 'serve-admin-password' };

/** one Api over the separate processes: each path goes where a load balancer would send it */
function routedApi(urls: Record<string, string>): Api {
  const urlOf = (path: string) => urls[serviceOfPath(path) ?? 'customers']!;
  const pick = (path: string) => createApi(urlOf(path));
  return {
    baseUrl: urlOf('/v1/auth'),
    // the shopper steps' typed SDK client: each request goes to the process that serves its path
    fetch: async (request) => {
      const { pathname, search } = new URL(request.url);
      // an empty body is sent as none: a POST with a zero-length body and no content type is refused (415)
      const body = (await request.text()) || undefined;
      return fetch(`${urlOf(pathname)}${pathname}${search}`, { method: request.method, headers: request.headers, body });
    },
    get: (path, options) => pick(path).get(path, options),
    post: (path, body, options) => pick(path).post(path, body, options),
    put: (path, body, options) => pick(path).put(path, body, options),
    patch: (path, body, options) => pick(path).patch(path, body, options),
    delete: (path, options) => pick(path).delete(path, options),
    call: (method, path, body, options) => pick(path).call(method, path, body, options),
  };
}

/** runs `floodgate serve <service>` with exactly `env` (plus PATH) and answers its exit code and stderr */
function runServe(service: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', service], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // generous: a shared, loaded machine takes seconds just to load the CLI
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.skipIf(!available)('floodgate serve <service>: the shop as separate processes on PostgreSQL and RabbitMQ', () => {
  let database: Awaited<ReturnType<typeof createPostgresTestDatabaseUrl>>;
  let psp: Awaited<ReturnType<typeof createFakePspServer>>;
  let pspUrl: string;
  let dataDir: string;
  const processes: ShopProcess[] = [];
  const urls: Record<string, string> = {};
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createPostgresTestDatabaseUrl();
    // the PSP in this test process: six spawned services are what is under test, and the box is shared
    psp = await createFakePspServer({ logger: pino({ level: 'silent' }) });
    pspUrl = await psp.listen({ host: '127.0.0.1', port: 0 });
    dataDir = await mkdtemp(join(tmpdir(), 'floodgate-serve-'));
    const ports = new Map<ServiceName, number>();
    for (const service of SERVED) {
      const port = await freePort();
      ports.set(service, port);
      urls[service] = `http://127.0.0.1:${port}`;
    }
    env = {
      DATABASE_URL: database.url,
      AMQP_URL: TEST_SERVICES.rabbitmq,
      // queues are named after the exchange: this run's own, never another test's
      AMQP_EXCHANGE: `floodgate.test.serve.${randomBytes(4).toString('hex')}`,
      FLOODGATE_SERVICE_KEY: randomBytes(32).toString('hex'),
      FLOODGATE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FLOODGATE_DATA_DIR: dataDir,
      FLOODGATE_PSP_URL: pspUrl,
      FLOODGATE_ADMIN_EMAIL: ADMIN.email,
      FLOODGATE_ADMIN_PASSWORD: ADMIN.password,
      DATABASE_POOL_SIZE: '4',
      ...Object.fromEntries(SERVED.map((s) => [serviceUrlVariable(s), urls[s]!])),
    };
    // all at once, as a cluster starts them: the migrations' lock and the concurrent-start retry are part of the test
    processes.push(...(await Promise.all(SERVED.map((service) => startShopProcess(env, ports.get(service)!, ['serve', service], { readyTimeoutMs: 240_000 })))));
  }, 270_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    if (env?.AMQP_EXCHANGE) await deleteShopTopology(env.AMQP_EXCHANGE);
    await psp?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('when a shopper reads a product, fills a cart and checks out, then the order is paid through every service process', async () => {
    const api = routedApi(urls);
    const shop = createShopper(api);
    const admin = await shop.adminToken(ADMIN);
    const { productId, variantId } = await shop.createProduct(admin, { stock: 5, price: 2500 });

    const product = await api.get(`/v1/products/${productId}`);
    expect(product.status).toBe(200);
    // the stock figure comes from the inventory process, over HTTP
    expect(product.body.variants[0].available).toBe(5);

    const shopper = await shop.guestToken();
    const cartId = await shop.cartWith(shopper, variantId, 2);
    const checkout = await shop.checkout(shopper, cartId);
    expect(checkout.status).toBe(202);
    const order = await shop.settledOrder(shopper, checkout.body.orderId, 30_000);
    expect(order.status).toBe('paid');
    expect(await shop.stock(admin, variantId)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(((await (await fetch(`${pspUrl}/_stats`)).json()) as { captures: number }).captures).toBe(1);
  }, 60_000);

  it('when a guest logs out at customers, then the carts process, which verifies tokens itself, refuses its token within a second or two', async () => {
    const api = routedApi(urls);
    const guest = await createShopper(api).guestToken();
    const signaturesChecked = async () => {
      const page = await (await fetch(`${urls.carts}/metrics`)).text();
      return page.split('\n').filter((l) => l.startsWith('floodgate_auth_token_signatures_total{')).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    };
    const before = await signaturesChecked();
    expect((await api.post('/v1/carts', undefined, { token: guest })).status).toBe(201);
    // verified in the carts process (its own counter moved), not by a call to customers
    expect(await signaturesChecked()).toBeGreaterThan(before);
    expect((await api.post('/v1/auth/logout', {}, { token: guest })).status).toBe(204);
    await waitFor('the carts process to refuse the logged-out token', async () => (await api.post('/v1/carts', undefined, { token: guest })).status === 401, { timeoutMs: 5_000, intervalMs: 50 });
  }, 30_000);

  it('when the services run, then each one listens for customers\' revocations in the shared database: its copy asks at once instead of at its next poll', async () => {
    // customers' own list and every other service's copy (remote-revocation-list.ts), one listening connection each
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const listeners = async () =>
        Number((await client.query<{ n: string }>(
          'select count(*) as n from pg_stat_activity where datname = current_database() and application_name = $1 and query = $2',
          [LISTENER_APPLICATION_NAME, `listen ${SESSION_REVOCATIONS_CHANNEL}`],
        )).rows[0]!.n);
      await waitFor(`${SERVED.length} connections listening on ${SESSION_REVOCATIONS_CHANNEL}`, async () => (await listeners()) === SERVED.length, { timeoutMs: 10_000, intervalMs: 100 });
    } finally {
      await client.end();
    }
  });

  it('when a customer token is sent to an internal route, then it is refused with 401 and nothing is reserved', async () => {
    const api = routedApi(urls);
    const shopper = await createShopper(api).guestToken();
    const res = await fetch(`${urls.inventory}/internal/inventory/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}` },
      body: JSON.stringify({ args: [{ reference: 'stolen', lines: [{ variantId: 'x', quantity: 1 }], ttlMs: 60_000 }] }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('SERVICE_CREDENTIAL_INVALID');
  });
});

// nothing is opened before the configuration is checked, so these need no database or broker
const BAD_INPUT_ENV: Record<string, string> = {
  DATABASE_URL: 'postgres://floodgate@127.0.0.1:1/none',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
  FLOODGATE_SERVICE_KEY: 'k'.repeat(40),
  CUSTOMERS_URL: 'http://127.0.0.1:1',
  CARTS_URL: 'http://127.0.0.1:1',
  INVENTORY_URL: 'http://127.0.0.1:1',
  PAYMENTS_URL: 'http://127.0.0.1:1',
};

describe('floodgate serve <service> with bad configuration', () => {
  it('when a service starts without a dependency URL, then it exits 2 with one line naming the variable', async () => {
    const { CARTS_URL: _omitted, ...withoutCarts } = BAD_INPUT_ENV;
    const { code, stderr } = await runServe('orders', { ...withoutCarts, PORT: String(await freePort()) });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('CARTS_URL');
  }, 120_000);

  it('when a service starts with a malformed URL, then it exits 2 naming the variable and never echoing the value', async () => {
    const { code, stderr } = await runServe('catalog', { ...BAD_INPUT_ENV, INVENTORY_URL: 'ftp://secret-host/x', PORT: String(await freePort()) });
    expect(code).toBe(2);
    expect(stderr).toContain('INVENTORY_URL');
    expect(stderr).not.toContain('secret-host');
  }, 120_000);
});
