import { sql, type Kysely } from 'kysely';
import { announcingTransactions } from '../../../platform/bus/outbox.js';
import type { Database } from '../../../platform/db/database.js';
import { isUuid } from '../../../platform/ids.js';
import { FlashSaleEvents, type FlashSaleStatusChanged } from '../contract/events.js';
import { FLASH_SALES_SCHEMA, toSale, type FlashSalesTables, type FlashSalesTrx } from './flash-sales-tables.js';
import type { SaleRecord, SaleStore, StatusCause } from './sale-store.js';

const OPEN = ['scheduled', 'live', 'sold_out'] as const;

/** `onEventsWritten`: told after a transaction that enqueued an event committed (the service pokes its outbox relay) */
export function createSqlSaleStore(db: Database, { onEventsWritten = () => {} }: { onEventsWritten?: () => void } = {}): SaleStore {
  const k = db.kysely as Kysely<FlashSalesTables>;
  const announcing = announcingTransactions(k, onEventsWritten);

  const statusEvent = (trx: FlashSalesTrx, sale: SaleRecord, from: SaleRecord['status'], cause: StatusCause) =>
    announcing.enqueue<FlashSaleStatusChanged>(trx, FLASH_SALES_SCHEMA, FlashSaleEvents.statusChanged, { saleId: sale.id, variantId: sale.variantId, from, to: sale.status, cause });

  return {
    async insert(sale) {
      const row = await k
        .insertInto('flash_sales.sales')
        .values({
          id: sale.id,
          variant_id: sale.variantId,
          price_amount: sale.price.amount,
          price_currency: sale.price.currency,
          quantity: sale.quantity,
          per_customer_limit: sale.perCustomerLimit,
          admission_rate_per_second: sale.admissionRatePerSecond,
          reservation_lease_ms: sale.reservationLeaseMs,
          admission_ttl_ms: sale.admissionTtlMs,
          allow_guests: sale.allowGuests,
          starts_at: sale.startsAt,
          ends_at: sale.endsAt,
          allocation_reservation_id: sale.allocationReservationId,
          allocation_released_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSale(row);
    },

    async find(id) {
      if (!isUuid(id)) return null;
      const row = await k.selectFrom('flash_sales.sales').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSale(row) : null;
    },

    async list({ limit, beforeId }) {
      let q = k.selectFrom('flash_sales.sales').selectAll().orderBy('id', 'desc').limit(limit);
      if (beforeId) q = q.where('id', '<', beforeId);
      return (await q.execute()).map(toSale);
    },

    async listOpen(limit) {
      const rows = await k.selectFrom('flash_sales.sales').selectAll().where('status', 'in', [...OPEN]).orderBy('starts_at').orderBy('id').limit(limit).execute();
      return rows.map(toSale);
    },

    async setPaused(id, paused, at) {
      if (!isUuid(id)) return null;
      const row = await k
        .updateTable('flash_sales.sales')
        .set({ paused, updated_at: at })
        .where('id', '=', id)
        .where('status', 'in', [...OPEN])
        .returningAll()
        .executeTakeFirst();
      return row ? toSale(row) : null;
    },

    async transition(id, { from, to, cause, at }) {
      if (!isUuid(id)) return null;
      return announcing.transaction(async (trx) => {
        const before = await trx.selectFrom('flash_sales.sales').select('status').where('id', '=', id).where('status', 'in', from).forUpdate().executeTakeFirst();
        if (!before) return null;
        const row = await trx.updateTable('flash_sales.sales').set({ status: to, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const sale = toSale(row);
        await statusEvent(trx, sale, before.status, cause);
        return sale;
      });
    },

    async goLive(id, now, prepare) {
      return announcing.transaction(async (trx) => {
        // skip locked: a second process passes over a sale the first is loading, and finds it live next time
        const row = await trx
          .selectFrom('flash_sales.sales')
          .selectAll()
          .where('id', '=', id)
          .where('status', '=', 'scheduled')
          .where('starts_at', '<=', now)
          .where('ends_at', '>', now)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return null;
        await prepare(toSale(row));
        const updated = await trx.updateTable('flash_sales.sales').set({ status: 'live', updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const sale = toSale(updated);
        await statusEvent(trx, sale, 'scheduled', 'schedule');
        return sale;
      });
    },

    async listAllocationsToRelease(limit) {
      const rows = await k
        .selectFrom('flash_sales.sales')
        .selectAll()
        .where('status', '=', 'ended')
        .where('allocation_released_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toSale);
    },

    async listCountersToDrop(limit) {
      const rows = await k
        .selectFrom('flash_sales.sales as s')
        .selectAll('s')
        .where('s.status', '=', 'ended')
        .where('s.counters_dropped_at', 'is', null)
        // held rows still expire or get claimed, ordered ones still get paid or given back: both move counters
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('flash_sales.sale_reservations as r').select('r.id').whereRef('r.sale_id', '=', 's.id').where('r.status', 'in', ['held', 'ordered']))),
        )
        .orderBy('s.id')
        .limit(limit)
        .execute();
      return rows.map(toSale);
    },

    async markCountersDropped(id, at) {
      await k.updateTable('flash_sales.sales').set({ counters_dropped_at: sql<Date>`coalesce(counters_dropped_at, ${at})` }).where('id', '=', id).execute();
    },

    async markAllocationReleased(id, at) {
      await k.updateTable('flash_sales.sales').set({ allocation_released_at: sql<Date>`coalesce(allocation_released_at, ${at})` }).where('id', '=', id).execute();
    },
  };
}
