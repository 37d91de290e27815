import { newId } from '../../platform/ids.js';
import type { ReserveInput, ReserveResult } from './contract/inventory-client.js';
import type { StockStore } from './storage/stock-store.js';
import { isUuid, mergeLines } from './stock-lines.js';

export interface ReserveStockDeps {
  store: StockStore;
  clock: () => Date;
}

/**
 * Holds every line or none, off the shelf or carved out of an allocation (`from`); asking again with
 * the same reference answers the first reservation.
 */
export const makeReserveStock =
  ({ store, clock }: ReserveStockDeps) =>
  async ({ reference, lines, ttlMs, from }: ReserveInput): Promise<ReserveResult> => {
    if (!reference) throw new RangeError('reserve needs a reference');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    const merged = mergeLines(lines);
    // a variant id that is not a uuid has no stock row; answering that is cheaper than a DB error
    const unknown = merged.find((l) => !isUuid(l.variantId));
    if (unknown) return { ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: unknown.variantId, available: 0 };
    if (from !== undefined && !isUuid(from)) return { ok: false, code: 'INVENTORY_ALLOCATION_NOT_HELD', allocationId: from };
    const expiresAt = new Date(clock().getTime() + ttlMs);
    const result = await store.reserve({ id: newId(), reference, lines: merged, expiresAt, ...(from !== undefined ? { from } : {}) });
    if (!result.ok) return result;
    return { ok: true, reservationId: result.reservationId, expiresAt: result.expiresAt };
  };
