import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { createTestAuditLog } from '../../../test/support/audit.js';
import type { DatabaseAdapter } from '../../../test/support/databases.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import type { OutboxRelay } from '../../platform/bus/outbox.js';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import type { Database } from '../../platform/db/database.js';
import { createHttpApp } from '../../platform/http/create-http-app.js';
import type { HttpApp, ServiceModule } from '../../platform/service.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { auditMigrations } from '../../platform/audit/audit-migrations.js';
import { createCartsService } from '../carts/index.js';
import { createCatalogService } from '../catalog/index.js';
import type { FlashSalesClient } from '../flash-sales/contract/flash-sales-client.js';
import { createFlashSalesService, type FlashSalesService } from '../flash-sales/index.js';
import { createInventoryService, type InventoryService } from '../inventory/index.js';
import { startFakePsp } from '../payments/fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider, createPaymentsService, type PaymentsWorker } from '../payments/index.js';
import { createOrdersService } from './index.js';
import { ADDRESS, authenticate } from './orders-shop.test-support.js';
import { migrateAll, type MigrationSource } from '../../platform/db/migrate.js';

export const SHIPPING = ADDRESS;

export interface FlashShop {
  db: Database;
  app: HttpApp;
  counters: CounterStore;
  flashSales: FlashSalesService;
  inventory: InventoryService;
  admin: string;
  now(): Date;
  /** moves every service's clock (leases, holds, idempotency locks, admission) */
  advance(ms: number): void;
  customer(): string;
  /** a live sale of `quantity` units (of a variant with `stock` on hand) */
  liveSale(input: { quantity: number; stock?: number; perCustomerLimit?: number; leaseMs?: number; rate?: number }): Promise<{ saleId: string; variantId: string }>;
  call(method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  join(token: string, saleId: string): Promise<LightMyRequestResponse>;
  poll(token: string, saleId: string, ticket: string): Promise<LightMyRequestResponse>;
  reserve(token: string, saleId: string, admission: string, quantity?: number, key?: string): Promise<LightMyRequestResponse>;
  /** POST /v1/checkout with a reservation */
  checkout(token: string, reservationId: string, options?: { paymentToken?: string; key?: string; body?: Record<string, unknown> }): Promise<LightMyRequestResponse>;
  /** join, admit, poll until admitted: the admission token */
  admit(token: string, saleId: string): Promise<string>;
  /** admit + reserve `quantity`: the reservation id */
  reservation(token: string, saleId: string, quantity?: number): Promise<string>;
  /** every relay and the payments worker until nothing moves: payments charged, outcomes applied */
  settle(): Promise<void>;
  /** units per reservation status of one sale, from PostgreSQL */
  units(saleId: string): Promise<Record<'held' | 'ordered' | 'sold' | 'released' | 'expired', number>>;
  /** paid units of the sale's variant per customer, from orders */
  paidUnits(variantId: string): Promise<Map<string, number>>;
  orderStatus(orderId: string): Promise<string | undefined>;
  /** what the sale's allocation still holds, held carved units, and committed (sold, not restocked) carved units */
  inventoryUnits(saleId: string): Promise<{ allocation: number; carvedHeld: number; carvedCommitted: number }>;
  dispose(): Promise<void>;
}

/**
 * Inventory, catalog, carts, payments (fake PSP), flash sales and orders on one database and one
 * in-process bus, with the counter store the test picks and one clock the test moves. Workers are
 * not started: the test drives admission, lease expiry, the reconciler, relays and payments itself.
 */
export async function createFlashShop(adapter: DatabaseAdapter, counters: CounterStore, options: { wrapFlashSales?: (client: FlashSalesClient) => FlashSalesClient } = {}): Promise<FlashShop> {
  const logger = pino({ level: process.env.FLOODGATE_TEST_LOG_LEVEL ?? 'silent' });
  const metrics = createMetrics(`flash-shop-${randomUUID().slice(0, 8)}`);
  // real time plus what the test moved: rows some services stamp with the database's now() stay due
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const bus = createInProcessEventBus();
  const psp = await startFakePsp({ logger, slowMs: 50 });
  const testDb = await adapter.create([auditMigrations]);
  const { db } = testDb;
  const base = { db, bus, logger, metrics, envelope: createTestEnvelope(), audit: await createTestAuditLog(db) };
  const inventory = createInventoryService({ ...base, clock });
  const catalog = createCatalogService({ ...base, inventory: inventory.client, availabilityTtlMs: 0 });
  const carts = createCartsService({ ...base, catalog: catalog.client });
  const provider = createFakePspPaymentProvider({ baseUrl: psp.url, backoff: { initialDelayMs: 5, maxDelayMs: 20 } });
  const payments = createPaymentsService({ ...base, provider, holds: inventory.client, retry: { baseMs: 0 }, clock });
  // orders is created after flash sales: the abandoned-claim sweep reaches it lazily, as in the runtime
  const flashSales = createFlashSalesService({ ...base, catalog: catalog.client, inventory: inventory.client, counters, orders: { getOrder: (id) => orders.client.getOrder(id) }, clock, random: () => 0 });
  const orders = createOrdersService({ ...base, carts: carts.client, inventory: inventory.client, payments: payments.client, flashSales: options.wrapFlashSales?.(flashSales.client) ?? flashSales.client, clock });
  const modules: ServiceModule[] = [inventory, catalog, carts, payments, flashSales, orders];
  await migrateAll(db, modules.flatMap((m) => (m.migrations ? [m.migrations] : [])) as MigrationSource[]);
  const app = await createHttpApp({ logger, metrics, authenticate, modules, readinessChecks: {} });
  const paymentsWorker = (payments.workers ?? []).find((w): w is PaymentsWorker => w.name === 'payments-charge-worker')!;
  // the charge worker has a drainOnce too: settle() runs it once a pass, after the relays, not twice
  const relays = modules.flatMap((m) => m.workers ?? []).filter((w): w is OutboxRelay => 'drainOnce' in w && w !== paymentsWorker);
  const admin = `admin:${uuidv7()}`;

  const call: FlashShop['call'] = (method, url, token, payload, headers = {}) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (res: Promise<LightMyRequestResponse>) => {
    const r = await res;
    if (r.statusCode >= 400) throw new Error(`${r.statusCode} ${r.body}`);
    return r.json();
  };

  const shop: FlashShop = {
    db,
    app,
    counters,
    flashSales,
    inventory,
    admin,
    now: clock,
    advance: (ms) => void (offsetMs += ms),
    customer: () => `customer:${uuidv7()}`,
    async liveSale({ quantity, stock = quantity * 2, perCustomerLimit = Math.min(2, quantity), leaseMs = 600_000, rate = 50 }) {
      const suffix = randomUUID().slice(0, 8);
      const category = await ok(call('POST', '/v1/admin/categories', admin, { slug: `cat-${suffix}`, name: `Category ${suffix}` }));
      const product = await ok(call('POST', '/v1/admin/products', admin, {
        name: `Flash Kettle ${suffix}`,
        description: 'A kettle for flash-sale order tests',
        categoryId: category.id,
        variants: [{ sku: `KETTLE-${suffix}`, title: 'Default', price: { amount: 4999, currency: 'USD' } }],
      }));
      const variantId: string = product.variants[0].id;
      await ok(call('PUT', `/v1/admin/inventory/${variantId}`, admin, { onHand: stock }));
      const sale = await ok(call('POST', '/v1/admin/flash-sales', admin, {
        variantId,
        price: { amount: 999, currency: 'USD' },
        quantity,
        startsAt: new Date(clock().getTime() - 1_000).toISOString(),
        endsAt: new Date(clock().getTime() + 24 * 3_600_000).toISOString(),
        perCustomerLimit,
        admissionRatePerSecond: rate,
        reservationLeaseMs: leaseMs,
      }));
      await flashSales.statusPassNow();
      return { saleId: sale.id as string, variantId };
    },
    call,
    join: (token, saleId) => call('POST', `/v1/flash-sales/${saleId}/queue`, token),
    poll: (token, saleId, ticket) => call('GET', `/v1/flash-sales/${saleId}/queue/${encodeURIComponent(ticket)}`, token),
    reserve: (token, saleId, admission, quantity = 1, key = randomUUID()) =>
      call('POST', `/v1/flash-sales/${saleId}/reservations`, token, { quantity }, { 'idempotency-key': key, 'admission-token': admission }),
    checkout: (token, reservationId, { paymentToken = 'tok_visa', key = randomUUID(), body } = {}) =>
      call('POST', '/v1/checkout', token, body ?? { reservationId, email: 'shopper@example.com', shippingAddress: SHIPPING, paymentToken }, { 'idempotency-key': key }),
    async admit(token, saleId) {
      const joined = await ok(shop.join(token, saleId));
      for (let tick = 0; tick < 200; tick++) {
        shop.advance(300);
        await flashSales.admitNow();
        const polled = await ok(shop.poll(token, saleId, joined.ticket));
        if (polled.state === 'admitted') return polled.admissionToken as string;
        if (polled.state === 'sold_out') throw new Error('sold out before admission');
      }
      throw new Error(`position ${joined.position} was not admitted in 200 ticks`);
    },
    async reservation(token, saleId, quantity = 1) {
      const reserved = await ok(shop.reserve(token, saleId, await shop.admit(token, saleId), quantity));
      return reserved.reservationId as string;
    },
    async settle() {
      for (let pass = 0; pass < 100; pass++) {
        let moved = 0;
        for (const relay of relays) moved += await relay.drainOnce();
        moved += await paymentsWorker.drainOnce();
        if (moved === 0) return;
      }
      throw new Error('the shop did not settle in 100 passes');
    },
    async units(saleId) {
      const { rows } = await sql<{ status: string; units: string }>`
        select status, sum(quantity) as units from flash_sales.sale_reservations where sale_id = ${saleId} group by status`.execute(db.kysely);
      const units = { held: 0, ordered: 0, sold: 0, released: 0, expired: 0 };
      for (const r of rows) units[r.status as keyof typeof units] = Number(r.units);
      return units;
    },
    async paidUnits(variantId) {
      const { rows } = await sql<{ customer_id: string; units: string }>`
        select o.customer_id, sum(l.quantity) as units from orders.orders o join orders.order_lines l on l.order_id = o.id
        where l.variant_id = ${variantId} and o.status = 'paid' group by o.customer_id`.execute(db.kysely);
      return new Map(rows.map((r) => [r.customer_id, Number(r.units)]));
    },
    async orderStatus(orderId) {
      const { rows } = await sql<{ status: string }>`select status from orders.orders where id = ${orderId}`.execute(db.kysely);
      return rows[0]?.status;
    },
    async inventoryUnits(saleId) {
      const { rows } = await sql<{ allocation: string | null; carved_held: string | null; carved_committed: string | null }>`
        select
          (select sum(l.quantity) from inventory.reservations r join inventory.reservation_lines l on l.reservation_id = r.id
            where r.reference = ${`flash-sale:${saleId}`} and r.status = 'held') as allocation,
          (select sum(l.quantity) from inventory.reservations r join inventory.reservation_lines l on l.reservation_id = r.id
            join inventory.reservations a on a.id = r.carved_from where a.reference = ${`flash-sale:${saleId}`} and r.status = 'held') as carved_held,
          (select sum(l.quantity) from inventory.reservations r join inventory.reservation_lines l on l.reservation_id = r.id
            join inventory.reservations a on a.id = r.carved_from where a.reference = ${`flash-sale:${saleId}`} and r.status = 'committed'
            -- a cancelled paid order's units were restocked (into the allocation while the sale runs): counted there
            and r.reference not in (select reference from inventory.restocks)) as carved_committed`.execute(db.kysely);
      const row = rows[0];
      return { allocation: Number(row?.allocation ?? 0), carvedHeld: Number(row?.carved_held ?? 0), carvedCommitted: Number(row?.carved_committed ?? 0) };
    },
    async dispose() {
      await app.close();
      await provider.close();
      await psp.close();
      await testDb.dispose();
    },
  };
  return shop;
}
