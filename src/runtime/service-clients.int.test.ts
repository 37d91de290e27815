import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import { createServiceTokenIssuer, createServiceTokenVerifier } from '../platform/auth/service-token.js';
import { createPostgresDatabase, type Database } from '../platform/db/database.js';
import { migrateAll } from '../platform/db/migrate.js';
import { AppError } from '../platform/http/app-error.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import type { InternalApi } from '../platform/http/internal-api.js';
import { createInternalClient } from '../platform/http/internal-client.js';
import { internalRoutesModule } from '../platform/http/internal-routes.js';
import { runWithDeadline } from '../platform/resilience/deadline.js';
import type { HttpApp } from '../platform/service.js';
import { runWithCallContext } from '../platform/telemetry/call-context.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { cartsClientContract } from '../services/carts/contract/carts-client.contract-test.js';
import { CARTS_INTERNAL_API } from '../services/carts/contract/carts-internal-api.js';
import { catalogClientContract } from '../services/catalog/contract/catalog-client.contract-test.js';
import { CATALOG_INTERNAL_API } from '../services/catalog/contract/catalog-internal-api.js';
import { customersClientContract } from '../services/customers/contract/customers-client.contract-test.js';
import { CUSTOMERS_INTERNAL_API } from '../services/customers/contract/customers-internal-api.js';
import { flashSalesClientContract } from '../services/flash-sales/contract/flash-sales-client.contract-test.js';
import { FLASH_SALES_INTERNAL_API } from '../services/flash-sales/contract/flash-sales-internal-api.js';
import { inventoryClientContract } from '../services/inventory/contract/inventory-client.contract-test.js';
import { INVENTORY_INTERNAL_API } from '../services/inventory/contract/inventory-internal-api.js';
import { ordersClientContract } from '../services/orders/contract/orders-client.contract-test.js';
import { ORDERS_INTERNAL_API } from '../services/orders/contract/orders-internal-api.js';
import { paymentsClientContract } from '../services/payments/contract/payments-client.contract-test.js';
import { PAYMENTS_INTERNAL_API } from '../services/payments/contract/payments-internal-api.js';
import { createApi, createShopper } from '../../test/support/api.js';
import { createPostgresTestDatabaseUrl } from '../../test/support/databases.js';
import { createTestEnvelope } from '../../test/support/envelope.js';
import { serviceAvailable } from '../../test/support/services.js';
import { createCommerceModules, type CommerceModules } from './commerce-modules.js';

const available = await serviceAvailable('postgres');
const ADMIN = { email: 'contract-admin@example.com', password: 'contract-admin-password' };
const KEY = randomBytes(32).toString('hex');

/**
 * Every contract client, twice: the in-process client and the HTTP client (internal routes of a real
 * listening app on PostgreSQL). One database and one app for all of them, to keep the file quick.
 */
describe.skipIf(!available)('service contract clients, in-process and over HTTP', () => {
  let database: Awaited<ReturnType<typeof createPostgresTestDatabaseUrl>>;
  let db: Database;
  let commerce: CommerceModules;
  let app: HttpApp;
  let url: string;
  const closers: Array<() => Promise<void>> = [];
  const token = createServiceTokenIssuer({ key: KEY, issuer: 'contract-test' });
  const http = <C>(api: InternalApi<C>, baseUrl = url, extra: Partial<Parameters<typeof createInternalClient<C>>[0]> = {}) => {
    const client = createInternalClient({ api, baseUrl, token, ...extra });
    closers.push(() => client.close());
    return client;
  };
  let shopper: ReturnType<typeof createShopper>;
  let admin: string;

  beforeAll(async () => {
    database = await createPostgresTestDatabaseUrl();
    db = await createPostgresDatabase({ connectionString: database.url, maxConnections: 10, queryTimeoutMs: 10_000 });
    const logger = pino({ level: 'silent' });
    const metrics = createMetrics('contract-test');
    commerce = createCommerceModules({ db, bus: createInProcessEventBus(), logger, metrics, envelope: createTestEnvelope(), pspUrl: 'http://127.0.0.1:9' });
    await migrateAll(db, commerce.migrations);
    await commerce.customers.ensureAdmin(ADMIN.email, ADMIN.password);
    const served: Array<[InternalApi<unknown>, unknown]> = [
      [CUSTOMERS_INTERNAL_API, commerce.customers.client], [CATALOG_INTERNAL_API, commerce.catalog.client], [INVENTORY_INTERNAL_API, commerce.inventory.client],
      [CARTS_INTERNAL_API, commerce.carts.client], [ORDERS_INTERNAL_API, commerce.orders.client], [PAYMENTS_INTERNAL_API, commerce.payments.client],
      [FLASH_SALES_INTERNAL_API, commerce.flashSales.client],
    ] as Array<[InternalApi<unknown>, unknown]>;
    app = await createHttpApp({
      logger,
      metrics,
      authenticate: commerce.customers.client.authenticate,
      modules: [...commerce.modules, ...served.map(([api, client]) => internalRoutesModule({ api, client, verify: createServiceTokenVerifier({ key: KEY, audience: api.service }) }))],
      readinessChecks: {},
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    shopper = createShopper(createApi(url));
    admin = await shopper.adminToken(ADMIN);
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await app?.close();
    await db?.close();
    await database?.drop();
  });

  const stockedVariant = async (onHand: number) => {
    const variantId = randomUUID();
    await commerce.inventory.setStock([{ variantId, onHand }]);
    return variantId;
  };
  const productOf = new Map<string, string>();
  const variantPriced = async (price: number) => {
    const { productId, variantId } = await shopper.createProduct(admin, { stock: 3, price });
    productOf.set(variantId, productId);
    return variantId;
  };
  const reprice = async (variantId: string, amount: number) => {
    const answer = await createApi(url).patch(`/v1/admin/products/${productOf.get(variantId)}`, { variants: [{ id: variantId, price: { amount, currency: 'USD' } }] }, { token: admin });
    if (answer.status !== 200) throw new Error(`reprice answered ${answer.status}`);
  };
  const filledCart = async () => {
    const { variantId } = await shopper.createProduct(admin, { stock: 3 });
    const guest = await createApi(url).post('/v1/auth/guest');
    return { cartId: await shopper.cartWith(guest.body.accessToken, variantId), ownerId: guest.body.customer.id as string };
  };
  const guest = async () => {
    const res = await createApi(url).post('/v1/auth/guest');
    return { token: res.body.accessToken as string, id: res.body.customer.id as string };
  };

  inventoryClientContract('in-process', () => ({ client: commerce.inventory.client, stockedVariant }));
  inventoryClientContract('http', () => ({ client: http(INVENTORY_INTERNAL_API), stockedVariant }));
  catalogClientContract('in-process', () => ({ client: commerce.catalog.client, variantPriced, reprice }));
  catalogClientContract('http', () => ({ client: http(CATALOG_INTERNAL_API), variantPriced, reprice }));
  cartsClientContract('in-process', () => ({ client: commerce.carts.client, filledCart }));
  cartsClientContract('http', () => ({ client: http(CARTS_INTERNAL_API), filledCart }));
  customersClientContract('in-process', () => ({ client: commerce.customers.client, guest }));
  customersClientContract('http', () => ({ client: http(CUSTOMERS_INTERNAL_API), guest }));
  ordersClientContract('in-process', () => ({ client: commerce.orders.client }));
  ordersClientContract('http', () => ({ client: http(ORDERS_INTERNAL_API) }));
  paymentsClientContract('in-process', () => ({ client: commerce.payments.client }));
  paymentsClientContract('http', () => ({ client: http(PAYMENTS_INTERNAL_API) }));
  flashSalesClientContract('in-process', () => ({ client: commerce.flashSales.client }));
  flashSalesClientContract('http', () => ({ client: http(FLASH_SALES_INTERNAL_API) }));

  describe('over HTTP only', () => {
    it("when an internal route is called with a customer's or an admin's token, or a credential for another service, then 401 and nothing is done", async () => {
      const { token: customerToken } = await guest();
      const variantId = await stockedVariant(2);
      const reserve = (authorization: string) =>
        fetch(`${url}/internal/inventory/reserve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ args: [{ reference: randomUUID(), lines: [{ variantId, quantity: 1 }], ttlMs: 60_000 }] }),
        });
      for (const bearer of [customerToken, admin, await token('catalog')]) expect((await reserve(`Bearer ${bearer}`)).status).toBe(401);
      expect((await reserve('')).status).toBe(401);
      expect((await commerce.inventory.client.available([variantId])).get(variantId)).toBe(2);
    });

    it('when a method is called with arguments of the wrong shape, then 400 problem+json naming the argument, and nothing is done', async () => {
      const call = async (service: string, method: string, args: unknown) => {
        const res = await fetch(`${url}/internal/${service}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(service)}` },
          body: JSON.stringify({ args }),
        });
        return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { code?: string; errors?: Array<{ field: string }> } };
      };
      const fieldsOf = (answer: Awaited<ReturnType<typeof call>>) => (answer.body.errors ?? []).map((e) => e.field);
      // every method of every contract: numbers where ids, objects or nothing belong (jwks takes no argument at all)
      for (const api of [CUSTOMERS_INTERNAL_API, CATALOG_INTERNAL_API, INVENTORY_INTERNAL_API, CARTS_INTERNAL_API, ORDERS_INTERNAL_API, PAYMENTS_INTERNAL_API, FLASH_SALES_INTERNAL_API] as Array<InternalApi<unknown>>) {
        for (const method of Object.keys(api.methods)) {
          const answer = await call(api.service, method, [7, 7, 7, 7]);
          expect({ method, status: answer.status, type: answer.type }).toEqual({ method, status: 400, type: expect.stringContaining('application/problem+json') });
          expect(fieldsOf(answer).every((field) => field.startsWith('body.args'))).toBe(true);
          expect(fieldsOf(answer).length).toBeGreaterThan(0);
        }
      }
      // the case that used to be a 500: a single id where the list of ids belongs
      expect(fieldsOf(await call('catalog', 'getVariants', ['not-a-list']))).toEqual(['body.args.0']);
      // a write refused field by field, and the stock untouched
      const variantId = await stockedVariant(2);
      const reserve = await call('inventory', 'reserve', [{ reference: randomUUID(), lines: [{ variantId, quantity: 0 }], ttlMs: 60_000 }]);
      expect(reserve.status).toBe(400);
      expect(fieldsOf(reserve)).toEqual(['body.args.0.lines.0.quantity']);
      const extend = await call('inventory', 'extendReservation', [randomUUID(), '2030-01-01T00:00:00Z']);
      expect(fieldsOf(extend)).toEqual(['body.args.1']);
      expect((await commerce.inventory.client.available([variantId])).get(variantId)).toBe(2);
    });

    it('when the service is unreachable, then the call fails with 503 <SERVICE>_UNAVAILABLE and a Retry-After', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const client = http(INVENTORY_INTERNAL_API, `http://127.0.0.1:${port}`, { backoff: { initialDelayMs: 1, maxDelayMs: 5 } });
      const error = await client.available(['x']).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'INVENTORY_UNAVAILABLE', kind: 'unavailable', transient: true });
      expect((error as AppError).details.retryAfterSeconds).toBeGreaterThan(0);
    });

    it('when the service accepts and never answers, then the call gives up at the request deadline, not later', async () => {
      const frozen = await listen(createServer(() => {}));
      const client = http(INVENTORY_INTERNAL_API, frozen.url, { timeoutMs: 30_000 });
      const started = Date.now();
      const error = await runWithDeadline(300, () => client.available(['x'])).catch((err: unknown) => err);
      expect(error).toMatchObject({ code: 'INVENTORY_UNAVAILABLE', kind: 'unavailable' });
      // the deadline is 300 ms; the bound leaves room for a loaded machine, far below the 30 s attempt timeout
      expect(Date.now() - started).toBeLessThan(5_000);
      await frozen.close();
    });

    it('when a call is made inside a request, then its request id and trace travel with it', async () => {
      const seen: Array<Record<string, string | string[] | undefined>> = [];
      const echo = await listen(
        createServer((req, res) => {
          seen.push(req.headers);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":null}');
        }),
      );
      const client = http(ORDERS_INTERNAL_API, echo.url);
      const traceId = randomBytes(16).toString('hex');
      await runWithCallContext({ requestId: 'req-1234567890', traceId }, () => client.getOrder('o'));
      expect(seen[0]?.['x-request-id']).toBe('req-1234567890');
      expect(String(seen[0]?.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      await echo.close();
    });
  });
});

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
