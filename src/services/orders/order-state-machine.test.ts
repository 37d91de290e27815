import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../platform/db/database.js';
import type { OrderStatus } from './contract/events.js';
import { createSqlIdempotencyStore } from './idempotency/sql-idempotency-store.js';
import { ordersMigrations } from './index.js';
import { canTransition, isFinal, makeTransitionOrder, ORDER_STATUSES, type TransitionOrder } from './order-state-machine.js';
import { createSqlOrderStore } from './storage/sql-order-store.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

const envelope = createTestEnvelope();

/** The table the business agreed on, written out in full: every pair not listed is illegal. */
const LEGAL = new Set([
  'pending→paid',
  'pending→payment_failed',
  'pending→cancelled',
  'paid→cancelled',
  'paid→refunded',
  'paid→fulfilled',
  'fulfilled→refunded',
]);
const EVENTS: Record<string, string> = {
  paid: 'order.paid',
  payment_failed: 'order.payment_failed',
  cancelled: 'order.cancelled',
  refunded: 'order.refunded',
  fulfilled: 'order.fulfilled',
};
const PAIRS = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as [OrderStatus, OrderStatus]));

describe('order state machine table', () => {
  it('when every one of the 36 status pairs is checked, then exactly the 7 agreed moves are legal', () => {
    expect(PAIRS).toHaveLength(36);
    for (const [from, to] of PAIRS) expect([`${from}→${to}`, canTransition(from, to)]).toEqual([`${from}→${to}`, LEGAL.has(`${from}→${to}`)]);
  });

  it('when a status has no way out, then it is final: payment_failed, cancelled and refunded only', () => {
    expect(ORDER_STATUSES.filter(isFinal)).toEqual(['payment_failed', 'cancelled', 'refunded']);
  });
});

describe('order transitions, persisted', () => {
  let db: Database;
  let transition: TransitionOrder;
  let pokes = 0;
  beforeAll(async () => {
    db = await createMigratedPglite([ordersMigrations]);
    const store = createSqlOrderStore(db, envelope);
    transition = makeTransitionOrder({ store, clock: () => new Date(), onEventsWritten: () => void pokes++ });
  });
  afterAll(() => db?.close());

  /** an order placed through the store, then put straight into `status` for the test */
  const orderIn = async (status: OrderStatus) => {
    const store = createSqlOrderStore(db, envelope);
    const customerId = uuidv7();
    const begun = await createSqlIdempotencyStore(db).begin({ scope: { customerId, key: uuidv7() }, requestHash: 'h', now: new Date(), lockMs: 60_000 });
    if (begun.outcome !== 'started') throw new Error('claim expected');
    const id = uuidv7();
    await store.insertPlaced({
      order: { id, customerId, email: null, shippingAddress: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'GB' }, total: { amount: 100, currency: 'USD' }, cartId: null, reservationId: uuidv7(), paymentToken: 'tok_visa', lines: [{ lineNo: 1, variantId: uuidv7(), sku: 's', title: 't', quantity: 1, unitPrice: { amount: 100, currency: 'USD' } }], createdAt: new Date() },
      event: { type: 'order.placed', payload: { orderId: id } },
      idempotency: { claim: begun.claim, response: { status: 202, body: {} } },
    });
    await sql`update orders.orders set status = ${status} where id = ${id}`.execute(db.kysely);
    return { id, status };
  };
  const facts = async (id: string) => ({
    status: (await sql<{ status: string }>`select status from orders.orders where id = ${id}`.execute(db.kysely)).rows[0]?.status,
    history: (await sql<{ to_status: string }>`select to_status from orders.status_history where order_id = ${id} order by id`.execute(db.kysely)).rows.map((r) => r.to_status),
    events: (await sql<{ type: string; payload: { from: string; to: string; reason: string } }>`select type, payload from orders.outbox where payload->>'orderId' = ${id} and type <> 'order.placed'`.execute(db.kysely)).rows,
  });

  it.each(PAIRS)('when an order in %s is moved to %s, then it moves with history and event only if the table allows it', async (from, to) => {
    const order = await orderIn(from);
    const pokesBefore = pokes;
    const result = await transition(order, to, 'test');
    const after = await facts(order.id);
    if (LEGAL.has(`${from}→${to}`)) {
      expect(result).toMatchObject({ ok: true, order: { id: order.id, status: to } });
      expect(after.status).toBe(to);
      expect(after.history).toEqual(['pending', to]);
      expect(after.events).toEqual([{ type: EVENTS[to], payload: expect.objectContaining({ from, to, reason: 'test', total: { amount: 100, currency: 'USD' } }) }]);
      expect(pokes).toBe(pokesBefore + 1);
    } else {
      expect(result).toEqual({ ok: false, code: 'ORDERS_ILLEGAL_TRANSITION', from, to });
      expect(after).toEqual({ status: from, history: ['pending'], events: [] });
      expect(pokes).toBe(pokesBefore);
    }
  });

  it('when the order moved since it was read, then the stale transition changes nothing and says so', async () => {
    const order = await orderIn('pending');
    expect((await transition(order, 'paid', 'first')).ok).toBe(true);
    expect(await transition(order, 'cancelled', 'stale read')).toEqual({ ok: false, code: 'ORDERS_STATUS_CHANGED' });
    expect((await facts(order.id)).history).toEqual(['pending', 'paid']);
  });
});
