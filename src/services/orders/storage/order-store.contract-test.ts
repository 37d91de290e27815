import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditMigrations } from '../../../platform/audit/audit-migrations.js';
import type { AuditEntry } from '../../../platform/audit/audit-log.js';
import type { Database } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { IdempotencyClaimLost, type Order, type OrderStore } from './order-store.js';

export interface OrderStoreFixture {
  store: OrderStore;
  idempotency: IdempotencyStore;
  /** read access for assertions on the outbox, history and constraints */
  db: Database;
  dispose(): Promise<void>;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });
const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** One suite for the order store on every engine; each test places orders for its own customers. */
export function orderStoreContract(name: string, make: () => Promise<OrderStoreFixture>) {
  describe(`${name} order store`, () => {
    let fx: OrderStoreFixture;
    let store: OrderStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(() => fx?.dispose());

    const claimFor = async (customerId: string) => {
      const begun = await fx.idempotency.begin({ scope: { customerId, key: `k-${randomUUID()}` }, requestHash: 'h', now: new Date(), lockMs: 60_000 });
      if (begun.outcome !== 'started') throw new Error('expected a fresh claim');
      return begun.claim;
    };
    const place = async (customerId = randomUUID(), createdAt = new Date()): Promise<Omit<Order, 'status' | 'updatedAt'>> => {
      const order = {
        id: uuidv7(),
        customerId,
        email: 'ada@example.com',
        shippingAddress: ADDRESS,
        total: usd(5000),
        cartId: uuidv7(),
        reservationId: uuidv7(),
        paymentToken: 'tok_visa',
        lines: [
          { lineNo: 1, variantId: uuidv7(), sku: 'SKU-1', title: 'Jacket', quantity: 1, unitPrice: usd(3000) },
          { lineNo: 2, variantId: uuidv7(), sku: 'SKU-2', title: 'Scarf', quantity: 2, unitPrice: usd(1000) },
        ],
        createdAt,
      };
      const claim = await claimFor(customerId);
      await store.insertPlaced({ order, event: { type: 'order.placed', payload: { orderId: order.id } }, idempotency: { claim, response: { status: 202, body: { orderId: order.id } } } });
      return order;
    };
    const outboxTypes = async (orderId: string) =>
      (await sql<{ type: string }>`select type from orders.outbox where payload->>'orderId' = ${orderId} order by id`.execute(fx.db.kysely)).rows.map((r) => r.type);
    const move = (orderId: string, from: Order['status'], to: Order['status'], known?: Order) =>
      store.transition({ orderId, from, to, reason: `test ${to}`, at: new Date(), event: (o) => ({ type: `order.${to}`, payload: { orderId: o.id } }), ...(known ? { known } : {}) });

    it('when an order is placed, then it reads back pending with its lines in order, a first history row and order.placed', async () => {
      const placed = await place();
      const found = await store.findById(placed.id);
      expect(found).toEqual({ ...placed, status: 'pending', updatedAt: placed.createdAt });
      expect(await store.history(placed.id)).toEqual([{ from: null, to: 'pending', reason: 'placed', at: placed.createdAt }]);
      expect(await outboxTypes(placed.id)).toEqual(['order.placed']);
    });

    it('when a transition is given the order the caller read, then the moved order and its event carry it whole, as if read again', async () => {
      const placed = await place();
      const read = (await store.findById(placed.id))!;
      const payloads: Order[] = [];
      const moved = await store.transition({ orderId: placed.id, from: 'pending', to: 'paid', reason: 'test paid', at: new Date(), known: read, event: (o) => (payloads.push(o), { type: 'order.paid', payload: { orderId: o.id } }) });
      const again = await store.findById(placed.id);
      expect(moved).toEqual(again);
      expect(payloads).toEqual([again]);
    });

    it('when an order is placed, then its row holds neither the email nor any part of the address in clear, and it reads back whole', async () => {
      const order = await place();
      const { rows } = await sql<{ row: string }>`select o::text as row from orders.orders o where id = ${order.id}`.execute(fx.db.kysely);
      const raw = rows[0]!.row;
      for (const secret of ['ada@example.com', ADDRESS.name, ADDRESS.line1, ADDRESS.postalCode, 'London']) expect(raw).not.toContain(secret);
      expect(await store.findById(order.id)).toMatchObject({ email: 'ada@example.com', shippingAddress: ADDRESS });
    });

    it("when a sealed address is copied onto another order, then that order fails to read instead of showing the other's address", async () => {
      const victim = await place();
      const other = await place();
      await sql`update orders.orders set shipping_address_sealed = (select shipping_address_sealed from orders.orders where id = ${victim.id}) where id = ${other.id}`.execute(fx.db.kysely);
      await expect(store.findById(other.id)).rejects.toThrow(/does not open/);
    });

    it('when an order is placed, then its idempotency key holds the saved response in the same commit', async () => {
      const customerId = randomUUID();
      const claim = await claimFor(customerId);
      const order = { ...(await place(customerId)), id: uuidv7() };
      await store.insertPlaced({ order, event: { type: 'order.placed', payload: { orderId: order.id } }, idempotency: { claim, response: { status: 202, body: { orderId: order.id } } } });
      expect(await fx.idempotency.begin({ scope: claim, requestHash: 'h', now: new Date(), lockMs: 1 })).toEqual({ outcome: 'completed', response: { status: 202, body: { orderId: order.id } } });
    });

    it('when the idempotency claim was taken over, then placing throws and writes nothing', async () => {
      const customerId = randomUUID();
      const claim = await claimFor(customerId);
      await fx.idempotency.release(claim);
      const order = { ...(await place(customerId)), id: uuidv7() };
      await expect(store.insertPlaced({ order, event: { type: 'order.placed', payload: { orderId: order.id } }, idempotency: { claim, response: { status: 202, body: {} } } }))
        .rejects.toBeInstanceOf(IdempotencyClaimLost);
      expect(await store.findById(order.id)).toBeNull();
      expect(await outboxTypes(order.id)).toEqual([]);
    });

    it("when a customer's orders are listed, then newest first, page by page, and never another customer's", async () => {
      const customerId = randomUUID();
      const t = Date.now() - 100_000;
      const placed = [];
      // two orders in the same millisecond: the id breaks the tie
      for (const offset of [0, 1000, 2000, 2000, 3000]) placed.push(await place(customerId, new Date(t + offset)));
      await place(randomUUID());
      const expected = [...placed].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((o) => o.id);

      const first = await store.listByCustomer(customerId, { limit: 2 });
      const last = first[first.length - 1]!;
      const second = await store.listByCustomer(customerId, { limit: 2, after: { createdAt: last.createdAt, id: last.id } });
      const last2 = second[second.length - 1]!;
      const third = await store.listByCustomer(customerId, { limit: 2, after: { createdAt: last2.createdAt, id: last2.id } });
      expect([...first, ...second, ...third].map((o) => o.id)).toEqual(expected);
      expect(third).toHaveLength(1);
      expect(first[0]?.lines).toHaveLength(2);
      expect(await store.listByCustomer(randomUUID(), { limit: 10 })).toEqual([]);
    });

    // the store reads the order itself, or takes the one its caller read (then one statement, without an audit entry)
    for (const given of [false, true]) {
      const how = given ? ' (given the order as read)' : '';
      const knownOf = async (id: string) => (given ? ((await store.findById(id)) ?? undefined) : undefined);

      it(`when an order moves from the status it is in, then the status, history and event change together${how}`, async () => {
        const placed = await place();
        const paid = await move(placed.id, 'pending', 'paid', await knownOf(placed.id));
        expect(paid).toMatchObject({ id: placed.id, status: 'paid', lines: placed.lines });
        expect(paid).toEqual(await store.findById(placed.id));
        expect((await store.history(placed.id)).map((h) => [h.from, h.to, h.reason])).toEqual([[null, 'pending', 'placed'], ['pending', 'paid', 'test paid']]);
        expect(await outboxTypes(placed.id)).toEqual(['order.placed', 'order.paid']);
      });

      it(`when an order is not in the expected status, then nothing changes${how}`, async () => {
        const placed = await place();
        const read = await knownOf(placed.id);
        expect(await move(placed.id, 'paid', 'fulfilled', read && { ...read, status: 'paid' })).toBeNull();
        expect(await move(uuidv7(), 'pending', 'paid', read && { ...read, id: uuidv7() })).toBeNull();
        expect((await store.findById(placed.id))?.status).toBe('pending');
        expect(await store.history(placed.id)).toHaveLength(1);
        expect(await outboxTypes(placed.id)).toEqual(['order.placed']);
      });

      it(`when 20 movers race on one pending order, then exactly one wins, with one history row and one event${how}`, async () => {
        const placed = await place();
        const read = await knownOf(placed.id);
        const targets = ['paid', 'payment_failed', 'cancelled'] as const;
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => move(placed.id, 'pending', targets[i % 3]!, read)));
        const winners = results.filter(Boolean);
        expect(winners).toHaveLength(1);
        expect(await store.history(placed.id)).toHaveLength(2);
        expect(await outboxTypes(placed.id)).toEqual(['order.placed', `order.${winners[0]?.status}`]);
      });
    }

    it("when an admin's change carries an audit entry, then the entry commits with it, and a change whose entry cannot be written rolls back", async () => {
      const entry = (orderId: string): AuditEntry => ({
        actor: { type: 'admin', id: uuidv7() }, requestId: 'req-audit-1', clientIp: '203.0.113.9', action: 'orders.cancelled', target: { type: 'order', id: orderId }, details: { reason: 'test' },
      });
      // given the order as read: an audit entry still goes with the move in one transaction
      const cancel = async (orderId: string) =>
        store.transition({ orderId, from: 'pending', to: 'cancelled', reason: 'test', at: new Date(), event: (o) => ({ type: 'order.cancelled', payload: { orderId: o.id } }), audit: entry(orderId), known: (await store.findById(orderId))! });

      // the fixture's database has no audit schema yet: the entry cannot be written
      const failing = await place();
      await expect(cancel(failing.id)).rejects.toThrow();
      expect((await store.findById(failing.id))?.status).toBe('pending');
      expect(await outboxTypes(failing.id)).toEqual(['order.placed']);

      await migrateAll(fx.db, [auditMigrations]);
      const order = await place();
      expect((await cancel(order.id))?.status).toBe('cancelled');
      const { rows } = await sql<{ action: string; actor_type: string }>`select action, actor_type from audit.entries where target_id = ${order.id}`.execute(fx.db.kysely);
      expect(rows).toEqual([{ action: 'orders.cancelled', actor_type: 'admin' }]);
    });

    it('when orders are counted by status, then each status has its count', async () => {
      const before = await store.countByStatus();
      const a = await place();
      await place();
      await move(a.id, 'pending', 'cancelled');
      const after = await store.countByStatus();
      expect((after.get('pending') ?? 0) - (before.get('pending') ?? 0)).toBe(1);
      expect((after.get('cancelled') ?? 0) - (before.get('cancelled') ?? 0)).toBe(1);
    });

    it('when a row gets an unknown status or a non-positive quantity, then the database refuses it', async () => {
      const placed = await place();
      await expect(sql`update orders.orders set status = 'shipped' where id = ${placed.id}`.execute(fx.db.kysely)).rejects.toThrow();
      await expect(sql`update orders.order_lines set quantity = 0 where order_id = ${placed.id}`.execute(fx.db.kysely)).rejects.toThrow();
    });

    it('when an unknown or malformed order id is read, then null', async () => {
      expect(await store.findById(uuidv7())).toBeNull();
      expect(await store.findById("not-a-uuid';--")).toBeNull();
      expect(await move('not-a-uuid', 'pending', 'paid')).toBeNull();
      expect(await store.history(uuidv7())).toEqual([]);
    });
  });
}
