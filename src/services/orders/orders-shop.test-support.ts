import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestAuditLog } from '../../../test/support/audit.js';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import type { Authenticate, Role } from '../../platform/auth/principal.js';
import type { DomainEvent } from '../../platform/bus/event-bus.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import type { OutboxRelay } from '../../platform/bus/outbox.js';
import type { Database } from '../../platform/db/database.js';
import { migrateAll, type MigrationSource } from '../../platform/db/migrate.js';
import { createHttpApp } from '../../platform/http/create-http-app.js';
import type { HttpApp, ServiceModule } from '../../platform/service.js';
import { createMetrics, type Metrics } from '../../platform/telemetry/metrics.js';
import type { CartsClient } from '../carts/contract/carts-client.js';
import { cartsMigrations, createCartsService, createMemoryCartWorkingCopy } from '../carts/index.js';
import { catalogMigrations } from '../catalog/catalog-migrations.js';
import { createCatalogService } from '../catalog/index.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { createInventoryService, inventoryMigrations, type InventoryService } from '../inventory/index.js';
import { startFakePsp, type RunningFakePsp } from '../payments/fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider, createPaymentsService, paymentsMigrations, type PaymentsWorker } from '../payments/index.js';
import type { PaymentProvider } from '../payments/providers/payment-provider.js';
import type { OrdersClient } from './contract/orders-client.js';
import { createOrdersService, ordersMigrations } from './index.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

export const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** bearer `<role>:<customerId>[:<email>]`: the tests pick who calls (and the account email its token carries) without a customers service */
export const authenticate: Authenticate = async ({ bearer }) => {
  if (!bearer) return null;
  const [role, customerId, email] = bearer.split(':');
  if (!customerId || !['guest', 'customer', 'admin'].includes(role ?? '')) return null;
  return { customerId, role: role as Role, via: 'token', ...(email ? { email } : {}) };
};

export interface OrdersShop {
  db: Database;
  app: HttpApp;
  psp: RunningFakePsp;
  metrics: Metrics;
  orders: OrdersClient;
  carts: CartsClient;
  inventory: InventoryService;
  /** publish an event on the shop's bus, as a relay would */
  publish(type: string, payload: unknown): Promise<void>;
  /** moves the clock of holds forward: inventory's reservation expiry and payments' hold extensions */
  advanceInventoryClock(ms: number): void;
  /** the orders clock: what idempotency locks and order timestamps are measured by */
  ordersNow(): Date;
  /** moves the orders clock forward, e.g. past an idempotency lock */
  advanceOrdersClock(ms: number): void;
  /** runs every outbox relay until nothing is left to publish: the saga settles */
  settle(): Promise<void>;
  /** publishes what one service's outbox holds (`orders`, `payments`, `inventory`), to stage an interleaving */
  drain(schema: string): Promise<number>;
  /** runs the payments worker until no payment is due: recorded payments are charged */
  chargePayments(): Promise<number>;
  customer(role?: Role): string;
  admin: string;
  product(stock: number, price?: number): Promise<string>;
  cartWith(token: string, variantId: string, quantity?: number): Promise<string>;
  checkout(token: string, cartId: string, options?: { paymentToken?: string; key?: string; body?: Record<string, unknown> }): Promise<LightMyRequestResponse>;
  getOrder(token: string, orderId: string): Promise<{ status: string; [k: string]: unknown }>;
  /** a fresh product, customer and cart checked out: the order is acknowledged (202) and pending */
  placeOrder(stock: number, quantity: number, paymentToken?: string): Promise<{ variantId: string; customer: string; orderId: string }>;
  /** the order's history as `status:reason` strings */
  transitions(token: string, orderId: string): Promise<string[]>;
  stock(variantId: string): Promise<{ onHand: number; reserved: number; available: number }>;
  /** POST /v1/admin/orders/{id}/{action} as the admin */
  act(orderId: string, action: 'cancel' | 'refund' | 'fulfill', body?: unknown): Promise<LightMyRequestResponse>;
  reservationOf(orderId: string): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * The services orders talks to, for real: inventory, catalog, carts and payments over the fake
 * PSP, on one PGlite database and one in-process bus. Workers are not started; tests drive the
 * relays with settle(), so every interleaving is deterministic.
 */
export async function createOrdersShop(options: { wrapInventory?: (client: InventoryClient) => InventoryClient; wrapCarts?: (client: CartsClient) => CartsClient; provider?: (pspUrl: string) => PaymentProvider } = {}): Promise<OrdersShop> {
  const logger = pino({ level: process.env.FLOODGATE_TEST_LOG_LEVEL ?? 'silent' });
  const metrics = createMetrics('orders-test');
  // a clone of this run's database migrated for these five services: PGlite's initdb is 1.5–2 s of CPU
  // (pglite-templates.ts); the modules' own migrateAll below still runs, with their afterMigrate steps
  const db = await createMigratedPglite([inventoryMigrations, catalogMigrations, cartsMigrations, paymentsMigrations, ordersMigrations]);
  const bus = createInProcessEventBus();
  const psp = await startFakePsp({ logger, slowMs: 200 });
  // the time holds are measured by: inventory's expiry and payments' hold extensions share it
  let holdsOffsetMs = 0;
  const holdsNow = () => new Date(Date.now() + holdsOffsetMs);
  let ordersOffsetMs = 0;
  const ordersNow = () => new Date(Date.now() + ordersOffsetMs);
  const base = { db, bus, logger, metrics, envelope: createTestEnvelope(), audit: await createTestAuditLog(db) };

  const inventory = createInventoryService({ ...base, clock: holdsNow });
  const catalog = createCatalogService({ ...base, inventory: inventory.client });
  // carts as the all-in-one keeps them: a memory working copy written back to PostgreSQL (docs/carts.md)
  const carts = createCartsService({ ...base, catalog: catalog.client, workingCopy: createMemoryCartWorkingCopy() });
  const provider = options.provider?.(psp.url) ?? createFakePspPaymentProvider({ baseUrl: psp.url, backoff: { initialDelayMs: 5, maxDelayMs: 20 } });
  // retries due at once: settle() drives the payments worker like a relay, so a flaky card's
  // retries run within one settle() instead of waiting out a backoff
  const payments = createPaymentsService({ ...base, provider, holds: inventory.client, retry: { baseMs: 0 }, clock: holdsNow });
  const ordersInventory = options.wrapInventory?.(inventory.client) ?? inventory.client;
  const orders = createOrdersService({ ...base, carts: options.wrapCarts?.(carts.client) ?? carts.client, inventory: ordersInventory, payments: payments.client, clock: ordersNow });
  const modules: ServiceModule[] = [inventory, catalog, carts, payments, orders];
  await migrateAll(db, modules.flatMap((m) => (m.migrations ? [m.migrations] : [])) as MigrationSource[]);
  const app = await createHttpApp({ logger, metrics, authenticate, modules, readinessChecks: {} });
  // the outbox relays and the payments worker: each drainOnce() publishes or charges what is due
  const relays = modules.flatMap((m) => m.workers ?? []).filter((w): w is OutboxRelay => 'drainOnce' in w);
  const paymentsWorker = (payments.workers ?? []).find((w): w is PaymentsWorker => w.name === 'payments-charge-worker');
  if (!paymentsWorker) throw new Error('the payments service has no charge worker');

  const admin = `admin:${uuidv7()}`;
  const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  const shop: OrdersShop = {
    db,
    app,
    psp,
    metrics,
    orders: orders.client,
    carts: carts.client,
    inventory,
    publish: (type, payload) => bus.publish({ id: uuidv7(), type, occurredAt: new Date().toISOString(), payload } satisfies DomainEvent),
    advanceInventoryClock: (ms) => void (holdsOffsetMs += ms),
    ordersNow,
    advanceOrdersClock: (ms) => void (ordersOffsetMs += ms),
    async settle() {
      for (let pass = 0; pass < 50; pass++) {
        let published = 0;
        for (const relay of relays) published += await relay.drainOnce();
        if (published === 0) return;
      }
      throw new Error('the saga did not settle in 50 passes');
    },
    async drain(schema) {
      const relay = relays.find((r) => r.name === `${schema}-outbox-relay`);
      if (!relay) throw new Error(`no relay for ${schema}`);
      let total = 0;
      for (let n = await relay.drainOnce(); n > 0; n = await relay.drainOnce()) total += n;
      return total;
    },
    chargePayments: () => paymentsWorker.drainOnce(),
    customer: (role = 'customer') => `${role}:${uuidv7()}`,
    admin,
    async product(stock, price = 1999) {
      const suffix = randomUUID().slice(0, 8);
      const category = await inject('POST', '/v1/admin/categories', admin, { slug: `cat-${suffix}`, name: `Category ${suffix}` });
      const product = await inject('POST', '/v1/admin/products', admin, {
        name: `Test Jacket ${suffix}`,
        description: 'A warm waterproof jacket for tests',
        categoryId: category.id,
        variants: [{ sku: `SKU-${suffix}`, title: 'Default', price: { amount: price, currency: 'USD' } }],
      });
      const variantId: string = product.variants[0].id;
      await inject('PUT', `/v1/admin/inventory/${variantId}`, admin, { onHand: stock });
      return variantId;
    },
    async cartWith(token, variantId, quantity = 1) {
      const cart = await inject('POST', '/v1/carts', token);
      await inject('POST', `/v1/carts/${cart.id}/items`, token, { variantId, quantity });
      return cart.id;
    },
    checkout: (token, cartId, { paymentToken = 'tok_visa', key = randomUUID(), body } = {}) =>
      app.inject({
        method: 'POST',
        url: '/v1/checkout',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        payload: body ?? { cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken },
      }),
    getOrder: (token, orderId) => inject('GET', `/v1/orders/${orderId}`, token),
    async placeOrder(stock, quantity, paymentToken = 'tok_visa') {
      const variantId = await shop.product(stock);
      const customer = shop.customer();
      const res = await shop.checkout(customer, await shop.cartWith(customer, variantId, quantity), { paymentToken });
      if (res.statusCode !== 202) throw new Error(`checkout → ${res.statusCode} ${res.body}`);
      return { variantId, customer, orderId: res.json().orderId as string };
    },
    async transitions(token, orderId) {
      const order = await shop.getOrder(token, orderId);
      return (order.history as Array<{ to: string; reason: string }>).map((h) => `${h.to}:${h.reason}`);
    },
    stock: (variantId) => inject('GET', `/v1/admin/inventory/${variantId}`, admin),
    act: (orderId, action, body) =>
      app.inject({ method: 'POST', url: `/v1/admin/orders/${orderId}/${action}`, headers: { authorization: `Bearer ${admin}` }, ...(body === undefined ? {} : { payload: body as object }) }),
    async reservationOf(orderId) {
      const { rows } = await sql<{ reservation_id: string }>`select reservation_id from orders.orders where id = ${orderId}`.execute(db.kysely);
      if (!rows[0]) throw new Error(`no order ${orderId}`);
      return rows[0].reservation_id;
    },
    async dispose() {
      await app.close();
      await provider.close();
      await psp.close();
      await db.close();
    },
  };
  return shop;
}
