import { sql } from 'kysely';
import type { StockLine } from '../contract/inventory-client.js';
import { byVariant, type Trx } from './inventory-tables.js';

/** Thrown inside a transaction to roll back every line already held. */
export class InsufficientStock extends Error {
  constructor(readonly variantId: string, readonly available: number) {
    super(`insufficient stock for ${variantId}`);
  }
}

/**
 * Locks an allocation's row and answers whether it still holds. A carve takes this lock before it
 * inserts its own row: that insert's foreign key takes a share lock on the allocation, which would
 * otherwise queue against the next carve's update lock and deadlock with a release of the allocation.
 * Every carve and every give-back of one allocation thus queue on its row.
 */
export async function lockAllocation(trx: Trx, allocationId: string): Promise<boolean> {
  const allocation = await trx.selectFrom('inventory.reservations').select('status').where('id', '=', allocationId).forUpdate().executeTakeFirst();
  return allocation?.status === 'held';
}

/**
 * Moves units out of a held allocation (a flash sale's carve-out, locked by lockAllocation) for a
 * new hold. The units stay reserved on the stock row throughout (they only change owner), so
 * `reserved` is not touched and no stock row is locked; the conditional update is the guard.
 */
export async function carveFromAllocation(trx: Trx, allocationId: string, lines: readonly StockLine[]): Promise<void> {
  for (const line of byVariant(lines)) {
    const taken = await trx
      .updateTable('inventory.reservation_lines')
      .set((eb) => ({ quantity: eb('quantity', '-', line.quantity) }))
      .where('reservation_id', '=', allocationId)
      .where('variant_id', '=', line.variantId)
      .where('quantity', '>=', line.quantity)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) continue;
    const row = await trx
      .selectFrom('inventory.reservation_lines')
      .select('quantity')
      .where('reservation_id', '=', allocationId)
      .where('variant_id', '=', line.variantId)
      .executeTakeFirst();
    throw new InsufficientStock(line.variantId, row?.quantity ?? 0);
  }
}

/**
 * A late commit of an expired carved hold (its payment captured after the expiry gave the units back
 * to the allocation): when the allocation still holds and still has every line, the units are carved
 * out of it again and true is answered; else nothing changes and false is answered (the caller takes
 * them off the shelf, or refuses). Checked before any update, so a partial carve never happens.
 */
export async function takeBackFromAllocation(trx: Trx, allocationId: string, lines: readonly StockLine[]): Promise<boolean> {
  if (!(await lockAllocation(trx, allocationId))) return false;
  const rows = await trx.selectFrom('inventory.reservation_lines').select(['variant_id', 'quantity']).where('reservation_id', '=', allocationId).execute();
  const has = new Map(rows.map((r) => [r.variant_id, r.quantity]));
  if (lines.some((l) => (has.get(l.variantId) ?? 0) < l.quantity)) return false;
  await carveFromAllocation(trx, allocationId, lines);
  return true;
}

/**
 * Where released units go: a hold carved from an allocation that still holds gives its units back
 * to that allocation (the sale sells them again); any other hold's units, and those of a carved
 * hold whose allocation was released meanwhile (the sale ended) or is released in this very
 * transaction, go back to the shelf. Gives the allocations theirs and answers the shelf's share,
 * summed per variant, for the caller to move off `reserved`.
 *
 * Lock order: the caller holds the released reservations' rows; allocations are locked after them
 * in id order, and no one holding an allocation ever waits for a carved hold, so this cannot deadlock.
 */
export async function giveBackReleasedUnits(
  trx: Trx,
  released: ReadonlyArray<{ id: string; carved_from: string | null }>,
  lines: ReadonlyArray<{ reservation_id: string; variant_id: string; quantity: number }>,
): Promise<StockLine[]> {
  const releasing = new Set(released.map((r) => r.id));
  const fromOf = new Map(released.map((r) => [r.id, r.carved_from]));
  const allocationIds = [...new Set(released.map((r) => r.carved_from).filter((id): id is string => id !== null && !releasing.has(id)))].sort();
  const holding = new Set<string>();
  if (allocationIds.length > 0) {
    const rows = await trx.selectFrom('inventory.reservations').select(['id', 'status']).where('id', 'in', allocationIds).orderBy('id').forUpdate().execute();
    for (const row of rows) if (row.status === 'held') holding.add(row.id);
  }
  const toShelf = new Map<string, number>();
  const toAllocation = new Map<string, { allocationId: string; variantId: string; quantity: number }>();
  for (const line of lines) {
    const allocationId = fromOf.get(line.reservation_id) ?? null;
    if (allocationId !== null && holding.has(allocationId)) {
      const key = `${allocationId}/${line.variant_id}`;
      const entry = toAllocation.get(key) ?? { allocationId, variantId: line.variant_id, quantity: 0 };
      entry.quantity += line.quantity;
      toAllocation.set(key, entry);
    } else {
      toShelf.set(line.variant_id, (toShelf.get(line.variant_id) ?? 0) + line.quantity);
    }
  }
  const ordered = [...toAllocation.values()].sort((a, b) => (a.allocationId === b.allocationId ? (a.variantId < b.variantId ? -1 : 1) : a.allocationId < b.allocationId ? -1 : 1));
  for (const { allocationId, variantId, quantity } of ordered) {
    await trx
      .insertInto('inventory.reservation_lines')
      .values({ reservation_id: allocationId, variant_id: variantId, quantity })
      .onConflict((oc) => oc.columns(['reservation_id', 'variant_id']).doUpdateSet((eb) => ({ quantity: eb('inventory.reservation_lines.quantity', '+', eb.ref('excluded.quantity')) })))
      .execute();
    await trx.updateTable('inventory.reservations').set({ updated_at: sql<Date>`now()` }).where('id', '=', allocationId).execute();
  }
  return [...toShelf].filter(([, quantity]) => quantity > 0).map(([variantId, quantity]) => ({ variantId, quantity }));
}
