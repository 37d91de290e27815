import { sql, type Kysely } from 'kysely';
import { enqueueEvent } from '../../../platform/bus/outbox.js';
import type { Database } from '../../../platform/db/database.js';
import { withTransactionRetry } from '../../../platform/db/retry-transaction.js';
import { createStatementAbort } from '../../../platform/db/statement-abort.js';
import type { CommitExpiredResult, StockLine } from '../contract/inventory-client.js';
import { InventoryEvents, type ReservationExpired, type StockReleased } from '../contract/events.js';
import { byVariant, INVENTORY_SCHEMA, perVariant, sameVariant, type InventoryTables, type Trx } from './inventory-tables.js';
import { carveFromAllocation, giveBackReleasedUnits, InsufficientStock, lockAllocation, takeBackFromAllocation } from './sql-allocations.js';
import type { SetOnHandResult, StockLevel, StockStore, StoredReservation, StoreReserveResult } from './stock-store.js';

export { INVENTORY_SCHEMA } from './inventory-tables.js';

/** rows fit in one statement well below PostgreSQL's 65,535 bound parameters */
const SEED_BATCH = 1_000;

const toLevel = (row: { variant_id: string; on_hand: number; reserved: number }): StockLevel => ({
  variantId: row.variant_id,
  onHand: row.on_hand,
  reserved: row.reserved,
  available: row.on_hand - row.reserved,
});

/** a one-line hold's claim made while its stock was short: undone whole (reserveOneLine) */
const SHORT = createStatementAbort('too little stock for a one-line hold');
/** a committed line without its stock row: corruption, the commit is undone whole */
const NO_STOCK_ROW = createStatementAbort('stock row missing for a held line');

export function createSqlStockStore(db: Database): StockStore {
  const k = db.kysely as Kysely<InventoryTables>;

  const availableIn = async (trx: Trx, variantId: string) => {
    const row = await trx.selectFrom('inventory.stock').select(['on_hand', 'reserved']).where('variant_id', '=', variantId).executeTakeFirst();
    return row ? row.on_hand - row.reserved : 0;
  };

  /** a uuid[] or int[] literal, sent as one parameter (ids here come from rows or passed isUuid) */
  const arrayLiteral = (values: ReadonlyArray<string | number>) => `{${values.join(',')}}`;

  /**
   * The stock rows of several lines, locked by one statement in ascending variant order, the order every path locks
   * them in (rows are locked in the order the sort gives them): one UPDATE joined to the lines cannot promise an
   * order. A single row needs no lock first: its update is the only lock taken.
   */
  const lockStockRows = async (trx: Trx, sorted: StockLine[]) => {
    if (sorted.length < 2) return;
    await sql`select variant_id from inventory.stock where variant_id = any(${arrayLiteral(sorted.map((l) => l.variantId))}::uuid[]) order by variant_id for update`.execute(trx);
  };

  /** Applies a change to `reserved` (and optionally `on_hand`) in ascending variant order: one statement for every line (two with several). */
  const moveStock = async (trx: Trx, lines: StockLine[], change: { reserved: -1 | 1; onHand: -1 | 0 | 1 }) => {
    const sorted = perVariant(lines);
    if (sorted.length === 0) return;
    await lockStockRows(trx, sorted);
    const { rows } = await sql<{ variant_id: string }>`
      update inventory.stock s set reserved = s.reserved + l.reserved, on_hand = s.on_hand + l.on_hand, updated_at = now()
        from unnest(${arrayLiteral(sorted.map((l) => l.variantId))}::uuid[], ${arrayLiteral(sorted.map((l) => change.reserved * l.quantity))}::int[],
                    ${arrayLiteral(sorted.map((l) => change.onHand * l.quantity))}::int[]) as l(variant_id, reserved, on_hand)
       where s.variant_id = l.variant_id
   returning s.variant_id`.execute(trx);
    // a held line always has its stock row (rows are never deleted); anything else is corruption
    const missing = sorted.find((l) => !rows.some((r) => sameVariant(r.variant_id, l)));
    if (missing) throw new Error(`stock row of ${missing.variantId} is missing`);
  };

  /**
   * Takes the lines off the shelf for a new hold, or throws InsufficientStock naming the first short variant (in
   * variant order) with what it has. The conditional update is the oversell guard: it re-checks each row after any
   * lock wait.
   */
  const takeFromShelf = async (trx: Trx, lines: StockLine[]) => {
    const sorted = perVariant(lines);
    await lockStockRows(trx, sorted);
    const { rows } = await sql<{ variant_id: string }>`
      update inventory.stock s set reserved = s.reserved + l.quantity, updated_at = now()
        from unnest(${arrayLiteral(sorted.map((l) => l.variantId))}::uuid[], ${arrayLiteral(sorted.map((l) => l.quantity))}::int[]) as l(variant_id, quantity)
       where s.variant_id = l.variant_id and s.on_hand - s.reserved >= l.quantity
   returning s.variant_id`.execute(trx);
    const short = sorted.find((l) => !rows.some((r) => sameVariant(r.variant_id, l)));
    // the transaction is rolled back: what the update took of the other lines goes back with it
    if (short) throw new InsufficientStock(short.variantId, await availableIn(trx, short.variantId));
  };

  const linesOf = async (trx: Trx, reservationIds: string[]) =>
    reservationIds.length === 0
      ? []
      : trx
          .selectFrom('inventory.reservation_lines')
          .select(['reservation_id', 'variant_id', 'quantity'])
          .where('reservation_id', 'in', reservationIds)
          .orderBy('variant_id')
          .execute();

  const lockReservation = (trx: Trx, id: string) =>
    trx.selectFrom('inventory.reservations').select(['id', 'reference', 'status', 'carved_from']).where('id', '=', id).forUpdate().executeTakeFirst();

  const markReleased = (trx: Trx, ids: string[], reason: string) =>
    trx
      .updateTable('inventory.reservations')
      .set({ status: 'released', release_reason: reason, updated_at: sql<Date>`now()` })
      .where('id', 'in', ids)
      .execute();

  /** true when this call made the hold (see reserve); false when the locked path must answer */
  const reserveOneLine = async (id: string, reference: string, line: StockLine, expiresAt: Date): Promise<boolean> => {
    try {
      const { rows } = await withTransactionRetry(() => sql<{ held: boolean }>`
        with claimed as (
          insert into inventory.reservations (id, reference, status, expires_at) values (${id}, ${reference}, 'held', ${expiresAt})
          on conflict (reference) do nothing
       returning id
        ), taken as (
          update inventory.stock set reserved = reserved + ${line.quantity}, updated_at = now()
           where variant_id = ${line.variantId} and on_hand - reserved >= ${line.quantity} and exists (select 1 from claimed)
       returning variant_id
        ), written as (
          insert into inventory.reservation_lines (reservation_id, variant_id, quantity)
          select id, ${line.variantId}, ${line.quantity} from claimed where exists (select 1 from taken)
       returning reservation_id
        )
        -- claimed without stock: the statement is undone, the claim included
        select case when not exists (select 1 from claimed) then false
                    else ${SHORT.unless(sql`exists (select 1 from written)`, sql<boolean>`true`, 'boolean')} end as held`.execute(k));
      return rows[0]?.held === true;
    } catch (err) {
      if (SHORT.is(err)) return false;
      throw err;
    }
  };

  const getLevel = async (variantId: string) => {
    const row = await k.selectFrom('inventory.stock').select(['variant_id', 'on_hand', 'reserved']).where('variant_id', '=', variantId).executeTakeFirst();
    return row ? toLevel(row) : null;
  };

  return {
    async reserve({ id, reference, lines, expiresAt, from }): Promise<StoreReserveResult> {
      // The usual hold, one line from the shelf, is one statement (a round trip on PostgreSQL; the path below is
      // five). It claims the reference, then takes the stock with the same oversell guard, then writes the line,
      // in the path's lock order. It answers only a fresh hold: a reference held before, too little stock (the
      // statement fails whole, nothing written) and holds of several lines or from an allocation take the path
      // below, which says which.
      if (from === undefined && lines.length === 1 && (await reserveOneLine(id, reference, lines[0]!, expiresAt))) {
        return { ok: true, reservationId: id, expiresAt, created: true };
      }
      try {
        // rerun on a conflict or a lost connection: the reference claim makes a rerun after a COMMIT that
        // did land find its own hold (created: false) instead of taking the stock twice
        return await withTransactionRetry(() => k.transaction().execute(async (trx): Promise<StoreReserveResult> => {
          const existing = async () => {
            const row = await trx.selectFrom('inventory.reservations').select(['id', 'expires_at', 'status']).where('reference', '=', reference).executeTakeFirst();
            if (!row) return null;
            // a released hold holds nothing: answering "ok" would let a late retry build on it
            if (row.status === 'released') return { ok: false, code: 'INVENTORY_RESERVATION_RELEASED', reservationId: row.id } as const;
            return { ok: true, reservationId: row.id, expiresAt: row.expires_at, created: false } as const;
          };
          // a carve queues on its allocation's row before it claims anything (see lockAllocation)
          if (from !== undefined && !(await lockAllocation(trx, from))) {
            // the allocation is gone, but a retry of a carve made before still gets its hold
            return (await existing()) ?? { ok: false, code: 'INVENTORY_ALLOCATION_NOT_HELD', allocationId: from };
          }
          // Claim the reference first: a concurrent twin waits here on the unique index and then
          // finds our committed row (or inserts its own if we rolled back).
          const claimed = await trx
            .insertInto('inventory.reservations')
            .values({ id, reference, status: 'held', expires_at: expiresAt, carved_from: from ?? null })
            .onConflict((oc) => oc.column('reference').doNothing())
            .returning(['id', 'expires_at'])
            .executeTakeFirst();
          if (!claimed) return (await existing())!;
          if (from !== undefined) await carveFromAllocation(trx, from, lines);
          else await takeFromShelf(trx, lines);
          await trx
            .insertInto('inventory.reservation_lines')
            .values(lines.map((l) => ({ reservation_id: id, variant_id: l.variantId, quantity: l.quantity })))
            .execute();
          return { ok: true, reservationId: claimed.id, expiresAt: claimed.expires_at, created: true };
        }));
      } catch (err) {
        if (err instanceof InsufficientStock) {
          return { ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: err.variantId, available: err.available };
        }
        throw err;
      }
    },

    // commit, release, expiry and restock are safe to rerun: each checks the reservation's status (or claims
    // the restock reference) under a row lock before it moves stock, so a second run finds the work done
    commit: async (reservationId) => {
      // The usual case, a held reservation of one line, is one statement: on PostgreSQL a statement is a round
      // trip, and a paid order's commit was six (BEGIN, lock, lines, the stock row, status, COMMIT). It locks what
      // the path below locks, in the same order (the reservation, then its stock row); with several lines the
      // stock rows must be locked in ascending variant order, which one statement cannot promise, so those take
      // the path below, as does anything already committed, released or unknown (it says which).
      const fast = await withTransactionRetry(() => sql<{ committed: number }>`
        with held as (
          update inventory.reservations set status = 'committed', updated_at = now()
           where id = ${reservationId} and status = 'held'
             and (select count(*) from inventory.reservation_lines where reservation_id = ${reservationId}) = 1
       returning id
        ), line as (
          select variant_id, quantity from inventory.reservation_lines where reservation_id in (select id from held)
        ), moved as (
          update inventory.stock s set reserved = s.reserved - l.quantity, on_hand = s.on_hand - l.quantity, updated_at = now()
            from line l
           where s.variant_id = l.variant_id
       returning s.variant_id
        )
        -- a held line always has its stock row (rows are never deleted): a missing one is corruption, and the
        -- whole statement is undone, the status change included
        select ${NO_STOCK_ROW.unless(sql`(select count(*) from moved) = (select count(*) from line)`, sql<number>`(select count(*) from held)::int`, 'int')} as committed`
        .execute(k)
        .catch((err: unknown) => {
          // a data exception is answered as bad input: this one is ours, so it leaves as what it is
          throw NO_STOCK_ROW.is(err) ? new Error(`stock row missing for the line of reservation ${reservationId}`) : err;
        }));
      if (fast.rows[0]?.committed === 1) return { ok: true } as const;
      return withTransactionRetry(() => k.transaction().execute(async (trx) => {
        const reservation = await lockReservation(trx, reservationId);
        if (!reservation) return { ok: false, code: 'RESERVATION_NOT_FOUND' } as const;
        if (reservation.status === 'committed') return { ok: true } as const;
        if (reservation.status === 'released') return { ok: false, code: 'RESERVATION_RELEASED' } as const;
        const lines = await linesOf(trx, [reservationId]);
        await moveStock(trx, lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })), { reserved: -1, onHand: -1 });
        await trx.updateTable('inventory.reservations').set({ status: 'committed', updated_at: sql<Date>`now()` }).where('id', '=', reservationId).execute();
        return { ok: true } as const;
      }));
    },

    commitExpired: async (reservationId) => {
      try {
        return await withTransactionRetry(() => k.transaction().execute(async (trx): Promise<CommitExpiredResult> => {
          const reservation = await trx
            .selectFrom('inventory.reservations')
            .select(['status', 'release_reason', 'carved_from'])
            .where('id', '=', reservationId)
            .forUpdate()
            .executeTakeFirst();
          if (!reservation) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
          if (reservation.status === 'committed') return { ok: true };
          // released by its owner (a cancel, a failed payment): that decision stands
          if (reservation.status === 'released' && reservation.release_reason !== 'expired') return { ok: false, code: 'RESERVATION_RELEASED' };
          const lines = (await linesOf(trx, [reservationId])).map((l) => ({ variantId: l.variant_id, quantity: l.quantity }));
          if (reservation.status === 'held') await moveStock(trx, lines, { reserved: -1, onHand: -1 });
          // a carved hold's expiry gave its units back to its allocation: they come from there while it still has them
          else if (reservation.carved_from && (await takeBackFromAllocation(trx, reservation.carved_from, lines))) await moveStock(trx, lines, { reserved: -1, onHand: -1 });
          else {
            for (const line of byVariant(lines)) {
              // the units are free stock again: the same oversell guard as a new hold
              const taken = await trx
                .updateTable('inventory.stock')
                .set((eb) => ({ on_hand: eb('on_hand', '-', line.quantity), updated_at: sql<Date>`now()` }))
                .where('variant_id', '=', line.variantId)
                .where(sql<number>`on_hand - reserved`, '>=', line.quantity)
                .executeTakeFirst();
              if (Number(taken.numUpdatedRows) !== 1) throw new InsufficientStock(line.variantId, await availableIn(trx, line.variantId));
            }
          }
          // release_reason stays: the row tells that this sale was taken back from the shelf after its hold expired
          await trx.updateTable('inventory.reservations').set({ status: 'committed', updated_at: sql<Date>`now()` }).where('id', '=', reservationId).execute();
          return { ok: true };
        }));
      } catch (err) {
        if (err instanceof InsufficientStock) return { ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: err.variantId, available: err.available };
        throw err;
      }
    },

    async extend(reservationId, until) {
      // `status = 'held'` is re-checked after any lock wait: an expiry or release that wins the race
      // is final, and the hold is not resurrected
      const row = await k
        .updateTable('inventory.reservations')
        .set({ expires_at: sql<Date>`greatest(expires_at, ${until})`, updated_at: sql<Date>`now()` })
        .where('id', '=', reservationId)
        .where('status', '=', 'held')
        .returning('expires_at')
        .executeTakeFirst();
      if (row) return { ok: true, expiresAt: new Date(row.expires_at) };
      const current = await k.selectFrom('inventory.reservations').select('status').where('id', '=', reservationId).executeTakeFirst();
      if (!current) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
      return { ok: false, code: current.status === 'committed' ? 'RESERVATION_COMMITTED' : 'RESERVATION_RELEASED' };
    },

    release: (reservationId, reason) =>
      withTransactionRetry(() => k.transaction().execute(async (trx) => {
        const reservation = await lockReservation(trx, reservationId);
        if (reservation?.status !== 'held') return false;
        const rows = await linesOf(trx, [reservationId]);
        await moveStock(trx, await giveBackReleasedUnits(trx, [reservation], rows), { reserved: -1, onHand: 0 });
        const lines = rows.filter((l) => l.quantity > 0).map((l) => ({ variantId: l.variant_id, quantity: l.quantity }));
        await markReleased(trx, [reservationId], reason);
        await enqueueEvent<StockReleased>(trx, INVENTORY_SCHEMA, InventoryEvents.stockReleased, { reservationId, reference: reservation.reference, reason, lines });
        return true;
      })),

    expireDue: (now, limit) =>
      withTransactionRetry(() => k.transaction().execute(async (trx) => {
        // skip locked: a hold being committed right now is left to that commit
        const due = await trx
          .selectFrom('inventory.reservations')
          .select(['id', 'reference', 'carved_from'])
          .where('status', '=', 'held')
          .where('expires_at', '<=', now)
          .orderBy('expires_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        if (due.length === 0) return 0;
        const lines = await linesOf(trx, due.map((r) => r.id));
        // one summed update per variant in ascending order, so the batch locks like any single reservation
        await moveStock(trx, await giveBackReleasedUnits(trx, due, lines), { reserved: -1, onHand: 0 });
        await markReleased(trx, due.map((r) => r.id), 'expired');
        for (const r of due) {
          const own = lines.filter((l) => l.reservation_id === r.id && l.quantity > 0).map((l) => ({ variantId: l.variant_id, quantity: l.quantity }));
          await enqueueEvent<ReservationExpired>(trx, INVENTORY_SCHEMA, InventoryEvents.reservationExpired, { reservationId: r.id, reference: r.reference });
          await enqueueEvent<StockReleased>(trx, INVENTORY_SCHEMA, InventoryEvents.stockReleased, { reservationId: r.id, reference: r.reference, reason: 'expired', lines: own });
        }
        return due.length;
      })),

    restock: (reference, lines, soldFrom) =>
      withTransactionRetry(() => k.transaction().execute(async (trx) => {
        const first = await trx.insertInto('inventory.restocks').values({ reference }).onConflict((oc) => oc.column('reference').doNothing()).returning('reference').executeTakeFirst();
        if (!first) return false;
        const origin = soldFrom === undefined ? undefined : await trx.selectFrom('inventory.reservations').select('carved_from').where('id', '=', soldFrom).executeTakeFirst();
        if (origin?.carved_from) {
          // units sold out of a sale's allocation go back into it while it holds (the sale resells them): they are
          // on the shelf's row again and reserved for the sale; once the sale ended they go to the shelf below
          const rows = lines.map((l) => ({ reservation_id: soldFrom!, variant_id: l.variantId, quantity: l.quantity }));
          const toShelf = await giveBackReleasedUnits(trx, [{ id: soldFrom!, carved_from: origin.carved_from }], rows);
          if (toShelf.length === 0) {
            await moveStock(trx, lines, { reserved: 1, onHand: 1 });
            return true;
          }
        }
        for (const line of byVariant(lines)) {
          await trx
            .insertInto('inventory.stock')
            .values({ variant_id: line.variantId, on_hand: line.quantity, reserved: 0 })
            .onConflict((oc) =>
              oc.column('variant_id').doUpdateSet((eb) => ({ on_hand: eb('inventory.stock.on_hand', '+', eb.ref('excluded.on_hand')), updated_at: sql<Date>`now()` })),
            )
            .execute();
        }
        return true;
      })),

    async getReservation(id): Promise<StoredReservation | null> {
      const row = await k.selectFrom('inventory.reservations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const lines = await k.selectFrom('inventory.reservation_lines').select(['variant_id', 'quantity']).where('reservation_id', '=', id).orderBy('variant_id').execute();
      return {
        id: row.id,
        reference: row.reference,
        status: row.status,
        releaseReason: row.release_reason,
        expiresAt: row.expires_at,
        carvedFrom: row.carved_from,
        lines: lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })),
      };
    },

    async available(variantIds) {
      if (variantIds.length === 0) return new Map();
      const rows = await k.selectFrom('inventory.stock').select(['variant_id', 'on_hand', 'reserved']).where('variant_id', 'in', [...new Set(variantIds)]).execute();
      return new Map(rows.map((r) => [r.variant_id, r.on_hand - r.reserved]));
    },

    getLevel,

    async countHeld() {
      const row = await k.selectFrom('inventory.reservations').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'held').executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async setOnHand(variantId, onHand): Promise<SetOnHandResult> {
      // the conflict update only applies when the locked row still fits, so a racing reserve
      // can never leave reserved above on_hand
      const row = await k
        .insertInto('inventory.stock')
        .values({ variant_id: variantId, on_hand: onHand, reserved: 0 })
        .onConflict((oc) =>
          oc
            .column('variant_id')
            .doUpdateSet({ on_hand: onHand, updated_at: sql<Date>`now()` })
            .where('inventory.stock.reserved', '<=', onHand),
        )
        .returning(['variant_id', 'on_hand', 'reserved'])
        .executeTakeFirst();
      if (row) return { ok: true, level: toLevel(row) };
      const current = await getLevel(variantId);
      return { ok: false, code: 'INVENTORY_BELOW_RESERVED', reserved: current?.reserved ?? 0 };
    },

    async setLevels(levels) {
      const latest = new Map(levels.map((l) => [l.variantId, l.onHand]));
      const rows = byVariant([...latest].map(([variantId, onHand]) => ({ variantId, onHand })));
      for (let i = 0; i < rows.length; i += SEED_BATCH) {
        const batch = rows.slice(i, i + SEED_BATCH).map((l) => ({ variant_id: l.variantId, on_hand: l.onHand, reserved: 0 }));
        await k
          .insertInto('inventory.stock')
          .values(batch)
          .onConflict((oc) => oc.column('variant_id').doUpdateSet((eb) => ({ on_hand: eb.ref('excluded.on_hand'), updated_at: sql<Date>`now()` })))
          .execute();
      }
    },
  };
}
