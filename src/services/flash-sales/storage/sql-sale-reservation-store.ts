import { sql, type Kysely } from 'kysely';
import { announcingTransactions } from '../../../platform/bus/outbox.js';
import type { ScopeState } from '../../../platform/counters/counter-store.js';
import type { Database } from '../../../platform/db/database.js';
import { isUuid } from '../../../platform/ids.js';
import { FlashSaleEvents, type FlashSaleReservationChanged } from '../contract/events.js';
import type { SaleReservationStatus } from '../contract/flash-sales-client.js';
import { FLASH_SALES_SCHEMA, toSaleReservation, type FlashSalesTables, type FlashSalesTrx } from './flash-sales-tables.js';
import type { SaleReservationRecord, SaleReservationStore } from './sale-reservation-store.js';

const STATUSES: SaleReservationStatus[] = ['held', 'ordered', 'sold', 'released', 'expired'];

/** `onEventsWritten`: told after a transaction that enqueued an event committed (the service pokes its outbox relay) */
export function createSqlSaleReservationStore(db: Database, { onEventsWritten = () => {} }: { onEventsWritten?: () => void } = {}): SaleReservationStore {
  const k = db.kysely as Kysely<FlashSalesTables>;
  const announcing = announcingTransactions(k, onEventsWritten);

  const changedEvent = (trx: FlashSalesTrx, r: SaleReservationRecord, from: SaleReservationStatus) =>
    announcing.enqueue<FlashSaleReservationChanged>(trx, FLASH_SALES_SCHEMA, FlashSaleEvents.reservationChanged, {
      reservationId: r.id,
      saleId: r.saleId,
      customerId: r.customerId,
      from,
      to: r.status,
      orderId: r.orderId,
    });

  /** reservations in `status` whose lease ended at or before `before`, oldest first */
  const lapsedIn = async (status: SaleReservationStatus, before: Date, limit: number) => {
    const rows = await k
      .selectFrom('flash_sales.sale_reservations')
      .selectAll()
      .where('status', '=', status)
      .where('expires_at', '<=', before)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map(toSaleReservation);
  };

  return {
    async insert(r) {
      // do nothing on conflict: a duplicate id or idempotency key is an answer, not an error
      const inserted = await k
        .insertInto('flash_sales.sale_reservations')
        .values({
          id: r.id,
          sale_id: r.saleId,
          customer_id: r.customerId,
          quantity: r.quantity,
          idempotency_key: r.idempotencyKey,
          request_hash: r.requestHash,
          order_id: null,
          expires_at: r.expiresAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return inserted.length === 1 ? 'inserted' : 'duplicate';
    },

    async find(id) {
      if (!isUuid(id)) return null;
      const row = await k.selectFrom('flash_sales.sale_reservations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSaleReservation(row) : null;
    },

    async findByKey(saleId, customerId, idempotencyKey) {
      if (!isUuid(saleId)) return null;
      const row = await k
        .selectFrom('flash_sales.sale_reservations')
        .selectAll()
        .where('sale_id', '=', saleId)
        .where('customer_id', '=', customerId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row ? toSaleReservation(row) : null;
    },

    async claim({ id, customerId, orderId, now }) {
      if (!isUuid(id) || !isUuid(orderId)) return { ok: false, code: 'NOT_FOUND' };
      return announcing.transaction(async (trx) => {
        const row = await trx.selectFrom('flash_sales.sale_reservations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        // another customer's reservation is answered like an unknown one: its existence is not theirs to learn
        if (!row || row.customer_id !== customerId) return { ok: false, code: 'NOT_FOUND' } as const;
        const current = toSaleReservation(row);
        if (current.status === 'ordered' || current.status === 'sold') {
          return current.orderId === orderId ? ({ ok: true, reservation: current, replayed: true } as const) : ({ ok: false, code: 'CLAIMED' } as const);
        }
        if (current.status !== 'held' || current.expiresAt.getTime() <= now.getTime()) return { ok: false, code: 'EXPIRED' } as const;
        const updated = await trx
          .updateTable('flash_sales.sale_reservations')
          .set({ status: 'ordered', order_id: orderId, updated_at: now })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const reservation = toSaleReservation(updated);
        await changedEvent(trx, reservation, 'held');
        return { ok: true, reservation, replayed: false } as const;
      });
    },

    async findByOrder(orderId) {
      if (!isUuid(orderId)) return null;
      const row = await k.selectFrom('flash_sales.sale_reservations').selectAll().where('order_id', '=', orderId).executeTakeFirst();
      return row ? toSaleReservation(row) : null;
    },

    async unclaim({ id, orderId, now }) {
      if (!isUuid(id) || !isUuid(orderId)) return null;
      return announcing.transaction(async (trx) => {
        const row = await trx
          .updateTable('flash_sales.sale_reservations')
          .set({ status: sql<SaleReservationStatus>`case when expires_at > ${now} then 'held' else 'expired' end`, order_id: null, updated_at: now })
          .where('id', '=', id)
          .where('status', '=', 'ordered')
          .where('order_id', '=', orderId)
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        const reservation = toSaleReservation(row);
        await changedEvent(trx, { ...reservation, orderId }, 'ordered');
        return reservation;
      });
    },

    listOrderedLapsed: (before, limit) => lapsedIn('ordered', before, limit),

    async transition(id, { from, to, at }) {
      if (!isUuid(id)) return null;
      return announcing.transaction(async (trx) => {
        const before = await trx.selectFrom('flash_sales.sale_reservations').select('status').where('id', '=', id).where('status', 'in', from).forUpdate().executeTakeFirst();
        if (!before) return null;
        const row = await trx.updateTable('flash_sales.sale_reservations').set({ status: to, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const reservation = toSaleReservation(row);
        await changedEvent(trx, reservation, before.status);
        return reservation;
      });
    },

    listExpiredHeld: (now, limit) => lapsedIn('held', now, limit),

    scopeState: (saleId, quantity) => readScopeState(k, saleId, quantity),

    async unitsByStatus(saleId) {
      const units = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SaleReservationStatus, number>;
      if (!isUuid(saleId)) return units;
      const rows = await k
        .selectFrom('flash_sales.sale_reservations')
        .select(['status', (eb) => eb.fn.sum<number>('quantity').as('units')])
        .where('sale_id', '=', saleId)
        .groupBy('status')
        .execute();
      for (const r of rows) units[r.status] = Number(r.units);
      return units;
    },
  };
}

/** what PostgreSQL says the sale's counters must hold (FLASH.md "Counters rebuild"); also inside a transaction */
export async function readScopeState(k: Kysely<FlashSalesTables> | FlashSalesTrx, saleId: string, quantity: number): Promise<ScopeState> {
  const rows = await k
    .selectFrom('flash_sales.sale_reservations')
    .select(['id', 'customer_id', 'quantity', 'status', 'expires_at'])
    .where('sale_id', '=', saleId)
    .where('status', 'in', ['held', 'ordered', 'sold'])
    .orderBy('id')
    .execute();
  const state: ScopeState = { available: quantity, holds: [], soldByMember: {}, sold: [] };
  for (const r of rows) {
    state.available -= r.quantity;
    if (r.status === 'held') {
      state.holds.push({ holdId: r.id, member: r.customer_id, quantity: r.quantity, expiresAtMs: new Date(r.expires_at).getTime() });
    } else {
      state.sold.push({ holdId: r.id, member: r.customer_id, quantity: r.quantity });
      state.soldByMember[r.customer_id] = (state.soldByMember[r.customer_id] ?? 0) + r.quantity;
    }
  }
  return state;
}
