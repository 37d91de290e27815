import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import type { CounterStore } from '../../../platform/counters/counter-store.js';
import { createMemoryCounterStore } from '../../../platform/counters/memory-counter-store.js';
import { createFlashSalesRig, type FlashSalesRig } from '../flash-sales-rig.test-support.js';

/** the in-process counter store, counting every call by operation */
function countingCounters() {
  const inner = createMemoryCounterStore();
  const calls: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, prop: keyof CounterStore) {
      const value = target[prop];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`flash-sale waiting room and reservations (${adapter.name})`, () => {
    let rig: FlashSalesRig;
    let calls: Record<string, number>;
    beforeAll(async () => {
      const counting = countingCounters();
      calls = counting.calls;
      rig = await createFlashSalesRig(adapter, { counters: counting.store });
    });
    afterAll(() => rig?.dispose());

    /** what must not move when a request is refused: PostgreSQL's rows and the sale's counters */
    const footprint = async (saleId: string) => ({ rows: await rig.rows(), counters: await rig.snapshot(saleId) });

    it('when a customer joins twice, then 201 with the same ticket and position; the next customer is behind', async () => {
      const { saleId } = await rig.liveSale();
      const ada = rig.customer();
      const first = await rig.join(ada, saleId);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ ticket: expect.any(String), position: 1, retryAfterMs: 1_000 });
      const again = await rig.join(ada, saleId);
      expect(again.json()).toEqual(first.json());
      expect((await rig.join(rig.customer(), saleId)).json().position).toBe(2);
      expect(await rig.snapshot(saleId)).toMatchObject({ queueLength: 2 });
    });

    it('when customers wait, then admission is FIFO at the sale\'s rate on the injected clock, and retryAfterMs grows with the distance', async () => {
      const { saleId } = await rig.liveSale({ quantity: 20, body: { admissionRatePerSecond: 2 } });
      const customers = Array.from({ length: 6 }, () => rig.customer());
      const tickets: string[] = [];
      for (const c of customers) tickets.push((await rig.join(c, saleId)).json().ticket);
      const states = async () => {
        rig.advance(300); // past the frontier cache
        return Promise.all(customers.map(async (c, i) => (await rig.poll(c, saleId, tickets[i] as string)).json()));
      };
      const before = await states();
      expect(before.map((s) => s.state)).toEqual(Array(6).fill('waiting'));
      expect(before[5].retryAfterMs).toBeGreaterThanOrEqual(before[0].retryAfterMs);

      // a scope's first tick pays out one second of admissions
      await rig.flashSales.admitNow();
      const after = await states();
      expect(after.map((s) => s.state)).toEqual(['admitted', 'admitted', 'waiting', 'waiting', 'waiting', 'waiting']);
      expect(after[0].admissionToken).toEqual(expect.any(String));
      expect(after[2].admissionToken).toBeUndefined();

      rig.advance(1_000);
      await rig.flashSales.admitNow();
      expect((await states()).map((s) => s.state)).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'waiting', 'waiting']);
    });

    it('when customers wait and some are admitted without reserving, then the waiting-room gauges say how many of each, paused sales included', async () => {
      // a rig of its own: the gauges add up every live sale, and this file's other tests leave theirs behind
      const own = await createFlashSalesRig(adapter);
      try {
        const gauge = async (name: string) => (await own.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value;
        const { saleId } = await own.liveSale({ quantity: 20, body: { admissionRatePerSecond: 2 } });
        for (let i = 0; i < 5; i++) expect((await own.join(own.customer(), saleId)).statusCode).toBe(201);
        // the tick reports what its snapshot read (5 waiting), then admits one second's worth (2); the snapshot is
        // the ≤ 250 ms frontier cache the joins filled, so the clock moves past it first
        own.advance(300);
        await own.flashSales.admitNow();
        expect(await gauge('floodgate_flash_sale_waiting')).toBe(5);
        own.advance(300); // past the frontier cache: the next tick reads the admissions
        expect((await own.call('POST', `/v1/admin/flash-sales/${saleId}/pause`, own.admin)).statusCode).toBe(200);
        await own.flashSales.admitNow();
        expect(await gauge('floodgate_flash_sale_waiting')).toBe(3);
        expect(await gauge('floodgate_flash_sale_admitted_unresolved')).toBe(2);
        expect(await own.snapshot(saleId)).toMatchObject({ queueLength: 5, frontier: 2, unresolved: 2 });
      } finally {
        await own.dispose();
      }
    });

    it('when thousands poll at once, then the counters are read once per 250 ms and nothing is written', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const { ticket } = (await rig.join(customer, saleId)).json();
      rig.advance(300);
      const before = { ...calls };
      const answers = await Promise.all(Array.from({ length: 200 }, () => rig.poll(customer, saleId, ticket)));
      expect(answers.every((a) => a.statusCode === 200)).toBe(true);
      rig.advance(249);
      await rig.poll(customer, saleId, ticket);
      const delta = Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => n !== 0));
      expect(delta).toEqual({ snapshot: 1 });
      rig.advance(1);
      await rig.poll(customer, saleId, ticket);
      expect(calls.snapshot).toBe((before.snapshot ?? 0) + 2);
    });

    it('when an admitted customer reserves, then 201, the row is in PostgreSQL and the hold in the counters; the same key answers the same reservation', async () => {
      const { saleId } = await rig.liveSale({ quantity: 5 });
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      const reserved = await rig.reserve(customer, saleId, { admission, key: 'reserve-key-0001', quantity: 2 });
      expect(reserved.statusCode).toBe(201);
      const { reservationId, expiresAt } = reserved.json();
      expect(new Date(expiresAt).getTime()).toBe(rig.now().getTime() + 600_000);
      const { rows } = await sql<{ status: string; quantity: number }>`select status, quantity from flash_sales.sale_reservations where id = ${reservationId}`.execute(rig.db.kysely);
      expect(rows).toEqual([{ status: 'held', quantity: 2 }]);
      expect(await rig.snapshot(saleId)).toMatchObject({ available: 3, held: 2 });

      const replay = await rig.reserve(customer, saleId, { admission, key: 'reserve-key-0001', quantity: 2 });
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual({ reservationId, expiresAt });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await rig.snapshot(saleId)).toMatchObject({ available: 3, held: 2 });
      rig.advance(300);
      expect((await rig.call('GET', `/v1/flash-sales/${saleId}`)).json()).toMatchObject({ status: 'live', remaining: 3, perCustomerLimit: 2, price: { amount: 999, currency: 'USD' } });
    });

    it('when the same key comes back with another quantity, then 422 and nothing changes', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      expect((await rig.reserve(customer, saleId, { admission, key: 'reused-key-0001', quantity: 1 })).statusCode).toBe(201);
      const before = await footprint(saleId);
      const reused = await rig.reserve(customer, saleId, { admission, key: 'reused-key-0001', quantity: 2 });
      expect(reused.statusCode).toBe(422);
      expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when a customer would pass the per-customer limit, then 429 FLASH_SALE_LIMIT_REACHED with Retry-After and nothing changes', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      expect((await rig.reserve(customer, saleId, { admission, quantity: 2 })).statusCode).toBe(201);
      const before = await footprint(saleId);
      const over = await rig.reserve(customer, saleId, { admission, quantity: 1 });
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({ code: 'FLASH_SALE_LIMIT_REACHED' });
      expect(over.headers['retry-after']).toBeDefined();
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when the sale is sold out, then 409 FLASH_SALE_SOLD_OUT without touching PostgreSQL, and waiting tickets read sold_out', async () => {
      const { saleId } = await rig.liveSale({ quantity: 2 });
      const [ada, bob, cy] = [rig.customer(), rig.customer(), rig.customer()];
      const adaToken = await rig.admit(ada, saleId);
      const bobToken = await rig.admit(bob, saleId);
      const cyTicket = (await rig.join(cy, saleId)).json().ticket;
      expect((await rig.reserve(ada, saleId, { admission: adaToken, quantity: 2 })).statusCode).toBe(201);
      const before = await footprint(saleId);
      // with its tables out of reach, any PostgreSQL access would fail the request
      await sql`alter table flash_sales.sale_reservations rename to sale_reservations_away`.execute(rig.db.kysely);
      await sql`alter table flash_sales.sales rename to sales_away`.execute(rig.db.kysely);
      try {
        const soldOut = await rig.reserve(bob, saleId, { admission: bobToken });
        expect(soldOut.statusCode).toBe(409);
        expect(soldOut.json()).toMatchObject({ code: 'FLASH_SALE_SOLD_OUT' });
        expect(await rig.metrics.registry.getSingleMetricAsString('floodgate_flash_sale_requests_total')).toContain('step="reserve",outcome="FLASH_SALE_SOLD_OUT"');
      } finally {
        await sql`alter table flash_sales.sales_away rename to sales`.execute(rig.db.kysely);
        await sql`alter table flash_sales.sale_reservations_away rename to sale_reservations`.execute(rig.db.kysely);
      }
      expect(await footprint(saleId)).toEqual(before);
      // held units may still come back: sold out only once nothing is available and nothing is held
      expect((await rig.poll(cy, saleId, cyTicket)).json()).toMatchObject({ state: 'waiting' });
      await rig.counters.settle(saleId, (await sql<{ id: string }>`select id from flash_sales.sale_reservations where sale_id = ${saleId}`.execute(rig.db.kysely)).rows[0]!.id);
      rig.advance(300);
      expect((await rig.poll(cy, saleId, cyTicket)).json()).toMatchObject({ state: 'sold_out' });
      await rig.flashSales.statusPassNow();
      expect((await rig.call('GET', `/v1/admin/flash-sales/${saleId}`, rig.admin)).json()).toMatchObject({ status: 'sold_out' });
    });

    it('when the reservation row cannot be written, then 503 and the hold is given back', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      const before = await footprint(saleId);
      await sql`alter table flash_sales.sale_reservations rename to sale_reservations_away`.execute(rig.db.kysely);
      try {
        const res = await rig.reserve(customer, saleId, { admission, key: 'failed-write-0001' });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ code: 'FLASH_SALE_UNAVAILABLE' });
        expect(res.headers['retry-after']).toBeDefined();
      } finally {
        await sql`alter table flash_sales.sale_reservations_away rename to sale_reservations`.execute(rig.db.kysely);
      }
      expect(await footprint(saleId)).toMatchObject({ rows: before.rows, counters: { available: before.counters?.available, held: 0 } });
      // the counters remember the key's first (given back) hold: a prompt retry may still be that request…
      expect((await rig.reserve(customer, saleId, { admission, key: 'failed-write-0001' })).json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      // …but long past any request's deadline the retry takes afresh, once
      rig.advance(31_000);
      const retried = await rig.reserve(customer, saleId, { admission, key: 'failed-write-0001' });
      expect(retried.statusCode).toBe(201);
      const again = await rig.reserve(customer, saleId, { admission, key: 'failed-write-0001' });
      expect(again.json()).toEqual(retried.json());
      expect(await rig.snapshot(saleId)).toMatchObject({ held: 1 });
    });

    it('when the counters are not loaded, then joins, polls and reservations answer 503 FLASH_SALE_UNAVAILABLE with Retry-After', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      const { ticket } = (await rig.join(customer, saleId)).json();
      await rig.counters.drop(saleId);
      rig.advance(300);
      for (const res of [await rig.join(rig.customer(), saleId), await rig.poll(customer, saleId, ticket), await rig.reserve(customer, saleId, { admission })]) {
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ code: 'FLASH_SALE_UNAVAILABLE' });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(await rig.snapshot(saleId)).toBeNull();
    });

    it('when the shop lists sales, then live and coming sales are there with their remaining units', async () => {
      const { saleId } = await rig.liveSale({ quantity: 3 });
      const later = await rig.createSale(await rig.variant(5), { quantity: 2, startsAt: new Date(rig.now().getTime() + 3_600_000).toISOString(), endsAt: new Date(rig.now().getTime() + 7_200_000).toISOString() });
      rig.advance(1_000);
      const list = await rig.call('GET', '/v1/flash-sales');
      expect(list.headers['cache-control']).toBe('public, max-age=1');
      const items = list.json().items as Array<{ id: string; status: string; remaining: number }>;
      expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ id: saleId, status: 'live', remaining: 3 }), expect.objectContaining({ id: later.json().id, status: 'scheduled', remaining: 2 })]));
    });
  });
}
