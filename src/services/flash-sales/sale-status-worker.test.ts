import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { databaseAdapters } from '../../../test/support/databases.js';
import { createSqlAuditLog } from '../../platform/audit/sql-audit-log.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { countersCheck } from '../../preflight/preflight-checks.js';
import { createCatalogService } from '../catalog/index.js';
import { createInventoryService } from '../inventory/index.js';
import { createFlashSalesRig, type FlashSalesRig } from './flash-sales-rig.test-support.js';
import { createFlashSalesService, type FlashSalesService } from './index.js';

// "several processes": a second flash-sales service on the same database and the same counters,
// with its own caches, racing the rig's for every status move
for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`flash-sale status worker in two processes (${adapter.name})`, () => {
    let rig: FlashSalesRig;
    let second: FlashSalesService;
    beforeAll(async () => {
      rig = await createFlashSalesRig(adapter);
      const logger = pino({ level: 'silent' });
      const base = { db: rig.db, bus: createInProcessEventBus(), logger, metrics: createMetrics('flash-second'), envelope: createTestEnvelope(), audit: createSqlAuditLog(rig.db, { logger }) };
      const inventory = createInventoryService(base);
      const catalog = createCatalogService({ ...base, inventory: inventory.client });
      second = createFlashSalesService({ ...base, catalog: catalog.client, inventory: inventory.client, counters: rig.counters, clock: rig.now });
    });
    afterAll(() => rig?.dispose());

    const statusEvents = async (saleId: string) => {
      const { rows } = await sql<{ payload: { from: string; to: string } }>`select payload from flash_sales.outbox where type = 'flash_sale.status_changed' and payload->>'saleId' = ${saleId} order by id`.execute(rig.db.kysely);
      return rows.map((r) => `${r.payload.from}→${r.payload.to}`);
    };

    it('when both processes pass over a sale whose start has come, then it goes live once and its counters are loaded once', async () => {
      const variantId = await rig.variant(10);
      const sale = (await rig.createSale(variantId, { quantity: 4, startsAt: new Date(rig.now().getTime() + 5_000).toISOString() })).json();
      rig.advance(5_000);
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow(), rig.flashSales.statusPassNow(), second.statusPassNow()]);
      expect(await statusEvents(sale.id)).toEqual(['scheduled→live']);
      const customer = rig.customer();
      const admission = await rig.admit(customer, sale.id);
      expect((await rig.reserve(customer, sale.id, { admission })).statusCode).toBe(201);
      // a later pass in either process must not reload (and so forget) the hold
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow()]);
      expect(await rig.snapshot(sale.id)).toMatchObject({ available: 3, held: 1 });
    });

    it('when a sale is scheduled, then the reconciler loads its counters before the start as PostgreSQL says, preflight passes them and joins still answer 409 until the start', async () => {
      const variantId = await rig.variant(10);
      const startsAt = rig.now().getTime() + 3_600_000;
      const created = await rig.createSale(variantId, { quantity: 6, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 3_600_000).toISOString() });
      expect(created.statusCode).toBe(201);
      const sale = created.json();
      expect(await rig.snapshot(sale.id)).toBeNull();
      await Promise.all([rig.flashSales.reconcileNow(), second.reconcileNow()]);
      expect(await rig.snapshot(sale.id)).toMatchObject({ available: 6, held: 0, sold: 0, queueLength: 0 });
      const detail = (await rig.call('GET', `/v1/admin/flash-sales/${sale.id}`, rig.admin)).json();
      expect(detail).toMatchObject({ status: 'scheduled', counters: { available: 6, held: 0, sold: 0 }, reservations: { held: 0, ordered: 0, sold: 0 } });
      expect(countersCheck(detail)).toMatchObject({ status: 'passed', detail: expect.stringContaining('available 6, held 0, sold 0') });
      const join = await rig.join(rig.customer(), sale.id);
      expect(join.statusCode).toBe(409);
      expect(join.json()).toMatchObject({ code: 'FLASH_SALE_NOT_LIVE' });
      expect(await rig.snapshot(sale.id)).toMatchObject({ queueLength: 0 });
      // a later pass finds it in step; at the start it goes live and sells from the loaded counters
      await second.statusPassNow();
      expect(await statusEvents(sale.id)).toEqual([]);
      rig.advance(3_600_000);
      await second.statusPassNow();
      const customer = rig.customer();
      const admission = await rig.admit(customer, sale.id);
      expect((await rig.reserve(customer, sale.id, { admission })).statusCode).toBe(201);
      expect(await rig.snapshot(sale.id)).toMatchObject({ available: 5, held: 1 });
    });

    it('when both processes pass over a sale whose end has come, then it ends once and its allocation goes back once', async () => {
      const { saleId, variantId } = await rig.liveSale({ quantity: 3, stock: 8, body: { endsAt: new Date(rig.now().getTime() + 20_000).toISOString() } });
      rig.advance(20_000);
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow()]);
      expect(await statusEvents(saleId)).toEqual(['scheduled→live', 'live→ended']);
      expect(await rig.available(variantId)).toBe(8);
      expect((await rig.call('GET', `/v1/admin/flash-sales/${saleId}`, rig.admin)).json()).toMatchObject({ status: 'ended', allocationReleased: true });
    });

    it('when a sale has ended, then its counters stay while a reservation is held and are dropped once the last one is settled', async () => {
      const { saleId } = await rig.liveSale({ quantity: 3, body: { reservationLeaseMs: 30_000 } });
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      expect((await rig.reserve(customer, saleId, { admission })).statusCode).toBe(201);
      expect((await rig.call('POST', `/v1/admin/flash-sales/${saleId}/end`, rig.admin)).statusCode).toBe(200);
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow()]);
      // the held reservation can still expire or be checked out: its counters must answer
      expect(await rig.snapshot(saleId)).toMatchObject({ available: 2, held: 1 });
      rig.advance(30_001);
      await rig.flashSales.expireReservationsNow();
      expect(await rig.snapshot(saleId)).toMatchObject({ available: 3, held: 0 });
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow()]);
      expect(await rig.snapshot(saleId)).toBeNull();
      expect((await rig.call('GET', `/v1/admin/flash-sales/${saleId}`, rig.admin)).json()).toMatchObject({ status: 'ended', counters: null, reservations: { expired: 1 } });
      // dropped once: a reconciler pass does not bring an ended sale's counters back
      await rig.flashSales.reconcileNow();
      expect(await rig.snapshot(saleId)).toBeNull();
    });

    it('when the last unit is held and then given back, then the worker moves the sale to sold_out and back to live', async () => {
      const { saleId } = await rig.liveSale({ quantity: 1 });
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      const reservationId = (await rig.reserve(customer, saleId, { admission })).json().reservationId as string;
      await rig.counters.settle(saleId, reservationId);
      await Promise.all([rig.flashSales.statusPassNow(), second.statusPassNow()]);
      await rig.counters.unsell(saleId, reservationId);
      await second.statusPassNow();
      expect(await statusEvents(saleId)).toEqual(['scheduled→live', 'live→sold_out', 'sold_out→live']);
    });
  });
}
