import { sql, type Kysely, type Selectable } from 'kysely';
import { insertAuditEntry } from '../../../platform/audit/sql-audit-log.js';
import { enqueueEvent, outboxInsert } from '../../../platform/bus/outbox.js';
import type { Envelope } from '../../../platform/crypto/envelope.js';
import type { Database } from '../../../platform/db/database.js';
import { primaryOnly, type ReadRouting } from '../../../platform/db/read-routing.js';
import { withTransactionRetry } from '../../../platform/db/retry-transaction.js';
import { createStatementAbort } from '../../../platform/db/statement-abort.js';
import type { OrderStatus } from '../contract/events.js';
import { completion } from '../idempotency/sql-idempotency-store.js';
import { IdempotencyClaimLost, type Order, type OrderLine, type OrderStore } from './order-store.js';
import { createOrderPersonalData, type OrderPersonalData } from './order-personal-data.js';
import { ORDERS_SCHEMA, type OrderLineRow, type OrderRow, type OrdersDb, type OrdersTables } from './orders-tables.js';
import { isUuid } from '../../../platform/ids.js';


const toLine = (row: OrderLineRow): OrderLine => ({
  lineNo: row.line_no,
  variantId: row.variant_id,
  sku: row.sku,
  title: row.title,
  quantity: row.quantity,
  unitPrice: { amount: row.unit_price_minor, currency: row.currency },
});

const toOrder = (personal: OrderPersonalData, row: Selectable<OrderRow>, lines: OrderLineRow[]): Order => ({
  id: row.id,
  customerId: row.customer_id,
  status: row.status,
  ...personal.open(row.id, row),
  total: { amount: row.total_minor, currency: row.currency },
  cartId: row.cart_id,
  reservationId: row.reservation_id,
  paymentToken: row.payment_token,
  lines: lines.map(toLine),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** insertPlaced's fence: the idempotency claim was taken over, so nothing of the order may be written */
const CLAIM_LOST = createStatementAbort('the idempotency claim of this order was taken over');

/** Orders with their lines: one query for the orders, one for all their lines. */
async function withLines(personal: OrderPersonalData, db: OrdersDb, rows: Selectable<OrderRow>[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('orders.order_lines')
    .selectAll()
    .where('order_id', 'in', rows.map((r) => r.id))
    .orderBy('order_id')
    .orderBy('line_no')
    .execute();
  const byOrder = new Map<string, OrderLineRow[]>();
  for (const line of lines) byOrder.set(line.order_id, [...(byOrder.get(line.order_id) ?? []), line]);
  return rows.map((row) => toOrder(personal, row, byOrder.get(row.id) ?? []));
}

/** `reads`: where the order history goes (a replica when configured; the customer's own checkout is read-your-writes) */
export function createSqlOrderStore(db: Database, envelope: Envelope, reads: ReadRouting = primaryOnly(db)): OrderStore {
  const k = db.kysely as Kysely<OrdersTables>;
  const personal = createOrderPersonalData(envelope);

  return {
    // rerun on a conflict or a lost connection: the claim is the fence. A rerun after a COMMIT that did land
    // finds the claim completed and throws IdempotencyClaimLost (the client's retry gets the saved answer),
    // which place-order leaves alone, rather than failing with the lost connection and releasing the hold
    // of an order that exists
    insertPlaced: ({ order, event, idempotency }) => {
      // before the commit, so no read of this customer can reach a replica between the commit and the note
      reads.wrote(order.customerId);
      const row = {
        id: order.id,
        customer_id: order.customerId,
        status: 'pending' as const,
        ...personal.seal(order.id, order),
        total_minor: order.total.amount,
        currency: order.total.currency,
        cart_id: order.cartId,
        reservation_id: order.reservationId,
        payment_token: order.paymentToken,
        created_at: order.createdAt,
        updated_at: order.createdAt,
      };
      const lines = order.lines.map((l) => ({
        order_id: order.id,
        line_no: l.lineNo,
        variant_id: l.variantId,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        unit_price_minor: l.unitPrice.amount,
        currency: l.unitPrice.currency,
      }));
      const history = { order_id: order.id, from_status: null, to_status: 'pending' as const, reason: 'placed', at: order.createdAt };
      // One statement (on PostgreSQL a statement is a round trip; this was seven with BEGIN and COMMIT): the claim's
      // completion, the order, its lines, its first history row and order.placed. The claim is the fence: when a
      // later request took the key over, the completion matches no row and the whole statement is undone, so
      // nothing of this order is written.
      const placed = () => sql<{ placed: number }>`
        with claim as (${completion(k, idempotency.claim, idempotency.response).returning('key')}),
             placed_order as (${k.insertInto('orders.orders').values(row)}),
             placed_lines as (${k.insertInto('orders.order_lines').values(lines)}),
             first_status as (${k.insertInto('orders.status_history').values(history)}),
             placed_event as (${outboxInsert(ORDERS_SCHEMA, event.type, event.payload).insert})
        select ${CLAIM_LOST.unless(sql`exists (select 1 from claim)`, sql<number>`1`, 'int')} as placed`.execute(k);
      return withTransactionRetry(async () => {
        try {
          await placed();
        } catch (err) {
          if (CLAIM_LOST.is(err)) throw new IdempotencyClaimLost();
          throw err;
        }
      });
    },

    async findById(id) {
      // ids arrive from URLs and events; a malformed one is simply unknown, not a database error
      if (!isUuid(id)) return null;
      // the order and its lines in one round trip (every event about an order reads it, and so does its page)
      const { rows } = await sql<Selectable<OrderRow> & { lines: OrderLineRow[] }>`
        select o.*, coalesce((select json_agg(l order by l.line_no) from orders.order_lines l where l.order_id = o.id), '[]'::json) as lines
          from orders.orders o where o.id = ${id}`.execute(k);
      const row = rows[0];
      return row ? toOrder(personal, row, row.lines) : null;
    },

    // a history list tolerates lag: a replica serves it, except right after this customer's own checkout
    listByCustomer: (customerId, { limit, after }) => reads.read(customerId, async (from) => {
      const r = from.kysely as Kysely<OrdersTables>;
      let query = r.selectFrom('orders.orders').selectAll().where('customer_id', '=', customerId);
      // a row comparison walks the (customer_id, created_at desc, id desc) index from the cursor on
      if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return withLines(personal, r, rows);
    }),

    // a conditional move (where status = from): a rerun after a COMMIT that did land finds the order moved
    // and answers null, as for any transition someone else made first
    transition: async ({ orderId, from, to, reason, at, event, audit, known }) => {
      if (!isUuid(orderId)) return null;
      const move = (db: OrdersDb) => db.updateTable('orders.orders').set({ status: to, updated_at: at }).where('id', '=', orderId).where('status', '=', from);
      const history = { order_id: orderId, from_status: from, to_status: to, reason, at };
      if (known && !audit) {
        // One statement (on PostgreSQL a statement is a round trip; with BEGIN and COMMIT this was five): the event
        // is built from the order the caller read, whose fields it reads never change, and the history row and the
        // event are written only when the guarded update moved the order. A rerun after a COMMIT that did land
        // finds the order moved and answers null, as for any transition someone else made first.
        const { type, payload } = event({ ...known, status: to, updatedAt: at });
        const { insert } = outboxInsert(ORDERS_SCHEMA, type, payload, sql<boolean>`exists (select 1 from moved)`);
        return withTransactionRetry(async () => {
          const { rows } = await sql<Selectable<OrderRow>>`
            with moved as (${move(k).returningAll()}),
                 recorded as (insert into orders.status_history (order_id, from_status, to_status, reason, at)
                              select ${history.order_id}, ${history.from_status}, ${history.to_status}, ${history.reason}, ${history.at} where exists (select 1 from moved)),
                 announced as (${insert})
            select * from moved`.execute(k);
          return rows[0] ? { ...toOrder(personal, rows[0], []), lines: known.lines } : null;
        });
      }
      // a conditional move (where status = from): a rerun after a COMMIT that did land finds the order moved
      // and answers null, as for any transition someone else made first
      return withTransactionRetry(() => k.transaction().execute(async (trx) => {
        const row = await move(trx).returningAll().executeTakeFirst();
        if (!row) return null;
        await trx.insertInto('orders.status_history').values(history).execute();
        const [order] = known ? [{ ...toOrder(personal, row, []), lines: known.lines }] : await withLines(personal, trx, [row]);
        if (!order) return null;
        const { type, payload } = event(order);
        await enqueueEvent(trx, ORDERS_SCHEMA, type, payload);
        if (audit) await insertAuditEntry(trx, audit, at);
        return order;
      }));
    },

    async history(orderId) {
      if (!isUuid(orderId)) return [];
      const rows = await k.selectFrom('orders.status_history').select(['from_status', 'to_status', 'reason', 'at']).where('order_id', '=', orderId).orderBy('id').execute();
      return rows.map((r) => ({ from: r.from_status, to: r.to_status, reason: r.reason, at: r.at }));
    },

    async countByStatus() {
      const rows = await k
        .selectFrom('orders.orders')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return new Map(rows.map((r) => [r.status as OrderStatus, Number(r.n)]));
    },
  };
}
