import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import type { DatabaseAdapter, TestDatabase } from '../../../test/support/databases.js';
import { auditMigrations } from '../../platform/audit/audit-migrations.js';
import { createSqlAuditLog } from '../../platform/audit/sql-audit-log.js';
import type { Authenticate, Role } from '../../platform/auth/principal.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import type { CounterStore, ScopeSnapshot } from '../../platform/counters/counter-store.js';
import { createMemoryCounterStore } from '../../platform/counters/memory-counter-store.js';
import type { Database } from '../../platform/db/database.js';
import { createHttpApp } from '../../platform/http/create-http-app.js';
import type { HttpApp } from '../../platform/service.js';
import { createMetrics, type Metrics } from '../../platform/telemetry/metrics.js';
import { catalogMigrations } from '../catalog/catalog-migrations.js';
import { createCatalogService } from '../catalog/index.js';
import { createInventoryService, inventoryMigrations, type InventoryService } from '../inventory/index.js';
import { createFlashSalesService, flashSalesMigrations, type FlashSaleSettings, type FlashSalesService } from './index.js';

/** bearer `<role>:<customerId>`: the tests pick who calls without a customers service */
const authenticate: Authenticate = async ({ bearer }) => {
  if (!bearer) return null;
  const [role, customerId] = bearer.split(':');
  if (!customerId || !['guest', 'customer', 'admin'].includes(role ?? '')) return null;
  return { customerId, role: role as Role, via: 'token' };
};

export interface FlashSalesRig {
  db: Database;
  app: HttpApp;
  flashSales: FlashSalesService;
  inventory: InventoryService;
  counters: CounterStore;
  metrics: Metrics;
  admin: string;
  /** the flash-sales clock; it only moves when a test moves it */
  now(): Date;
  advance(ms: number): void;
  customer(role?: Role): string;
  /** a purchasable variant priced `price` USD minor units with `stock` units on hand */
  variant(stock: number, price?: number): Promise<string>;
  /** POST /v1/admin/flash-sales with working defaults (live now, 1 h long) overridden by `body` */
  createSale(variantId: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** a live sale of `quantity` units on a fresh variant with `stock` units; answers its id */
  liveSale(options?: { quantity?: number; stock?: number; body?: Record<string, unknown> }): Promise<{ saleId: string; variantId: string }>;
  call(method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  join(token: string, saleId: string): Promise<LightMyRequestResponse>;
  poll(token: string, saleId: string, ticket: string): Promise<LightMyRequestResponse>;
  reserve(token: string, saleId: string, options: { admission?: string; key?: string; quantity?: unknown }): Promise<LightMyRequestResponse>;
  /** join, let admission run past the customer's position, poll: answers the admission token */
  admit(token: string, saleId: string): Promise<string>;
  snapshot(saleId: string): Promise<ScopeSnapshot | null>;
  /** rows in flash_sales' tables */
  rows(): Promise<{ sales: number; reservations: number }>;
  available(variantId: string): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * The flash-sales service with the real inventory and catalog beside it on one database (PGlite
 * or PostgreSQL), the in-process counter store, and a clock that moves only when the test says.
 * Workers are not started: tests run statusPassNow() and admitNow() themselves.
 */
export async function createFlashSalesRig(adapter: DatabaseAdapter, options: { settings?: Partial<FlashSaleSettings>; counters?: CounterStore } = {}): Promise<FlashSalesRig> {
  const logger = pino({ level: process.env.FLOODGATE_TEST_LOG_LEVEL ?? 'silent' });
  const metrics = createMetrics(`flash-test-${randomUUID().slice(0, 8)}`);
  const testDb: TestDatabase = await adapter.create([auditMigrations, inventoryMigrations, catalogMigrations, flashSalesMigrations]);
  const { db } = testDb;
  let nowMs = Date.now();
  const clock = () => new Date(nowMs);
  const base = { db, bus: createInProcessEventBus(), logger, metrics, envelope: createTestEnvelope(), audit: createSqlAuditLog(db, { logger }) };
  const inventory = createInventoryService(base);
  const catalog = createCatalogService({ ...base, inventory: inventory.client, availabilityTtlMs: 0 });
  const counters = options.counters ?? createMemoryCounterStore();
  const flashSales = createFlashSalesService({ ...base, catalog: catalog.client, inventory: inventory.client, counters, clock, random: () => 0, ...(options.settings ? { settings: options.settings } : {}) });
  const app = await createHttpApp({ logger, metrics, authenticate, modules: [inventory, catalog, flashSales], readinessChecks: {} });
  const admin = `admin:${uuidv7()}`;

  const call: FlashSalesRig['call'] = (method, url, token, payload, headers = {}) =>
    app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (res: Promise<LightMyRequestResponse>) => {
    const r = await res;
    if (r.statusCode >= 400) throw new Error(`${r.statusCode} ${r.body}`);
    return r.json();
  };

  const rig: FlashSalesRig = {
    db,
    app,
    flashSales,
    inventory,
    counters,
    metrics,
    admin,
    now: clock,
    advance: (ms) => void (nowMs += ms),
    customer: (role = 'customer') => `${role}:${uuidv7()}`,
    async variant(stock, price = 1999) {
      const suffix = randomUUID().slice(0, 8);
      const category = await ok(call('POST', '/v1/admin/categories', admin, { slug: `cat-${suffix}`, name: `Category ${suffix}` }));
      const product = await ok(
        call('POST', '/v1/admin/products', admin, {
          name: `Flash Jacket ${suffix}`,
          description: 'A jacket for flash-sale tests',
          categoryId: category.id,
          variants: [{ sku: `FLASH-${suffix}`, title: 'Default', price: { amount: price, currency: 'USD' } }],
        }),
      );
      const variantId: string = product.variants[0].id;
      await ok(call('PUT', `/v1/admin/inventory/${variantId}`, admin, { onHand: stock }));
      return variantId;
    },
    createSale: (variantId, body = {}) =>
      call('POST', '/v1/admin/flash-sales', admin, {
        variantId,
        price: { amount: 999, currency: 'USD' },
        quantity: 5,
        startsAt: new Date(nowMs - 1_000).toISOString(),
        endsAt: new Date(nowMs + 3_600_000).toISOString(),
        perCustomerLimit: 2,
        admissionRatePerSecond: 10,
        ...body,
      }),
    async liveSale({ quantity = 5, stock = 20, body = {} } = {}) {
      const variantId = await rig.variant(stock);
      const created = await rig.createSale(variantId, { quantity, perCustomerLimit: Math.min(2, quantity), ...body });
      if (created.statusCode !== 201) throw new Error(`create sale → ${created.statusCode} ${created.body}`);
      return { saleId: created.json().id as string, variantId };
    },
    call,
    join: (token, saleId) => call('POST', `/v1/flash-sales/${saleId}/queue`, token),
    poll: (token, saleId, ticket) => call('GET', `/v1/flash-sales/${saleId}/queue/${encodeURIComponent(ticket)}`, token),
    reserve: (token, saleId, { admission, key = randomUUID(), quantity = 1 }) =>
      call('POST', `/v1/flash-sales/${saleId}/reservations`, token, { quantity }, { 'idempotency-key': key, ...(admission ? { 'admission-token': admission } : {}) }),
    async admit(token, saleId) {
      const joined = await ok(rig.join(token, saleId));
      for (let tick = 0; tick < 100; tick++) {
        rig.advance(1_000);
        await flashSales.admitNow();
        rig.advance(300);
        const polled = await ok(rig.poll(token, saleId, joined.ticket));
        if (polled.state === 'admitted') return polled.admissionToken as string;
        if (polled.state === 'sold_out') throw new Error('sold out before admission');
      }
      throw new Error(`position ${joined.position} was not admitted in 100 ticks`);
    },
    snapshot: (saleId) => counters.snapshot(saleId),
    async rows() {
      const { rows } = await sql<{ sales: number; reservations: number }>`select (select count(*) from flash_sales.sales)::int as sales, (select count(*) from flash_sales.sale_reservations)::int as reservations`.execute(db.kysely);
      return rows[0] ?? { sales: 0, reservations: 0 };
    },
    async available(variantId) {
      return (await inventory.client.available([variantId])).get(variantId) ?? 0;
    },
    async dispose() {
      await app.close();
      await counters.close();
      await testDb.dispose();
    },
  };
  return rig;
}
