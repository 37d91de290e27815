import type { StockLine } from './contract/inventory-client.js';
import type { StockStore } from './storage/stock-store.js';
import { isUuid, mergeLines } from './stock-lines.js';

/**
 * Units of a cancelled, committed sale come back, once per reference however often it is retried: on the shelf,
 * or into the flash sale's allocation they were carved from while that still holds (`soldFrom`).
 */
export const makeRestock =
  ({ store }: { store: StockStore }) =>
  async ({ reference, lines, soldFrom }: { reference: string; lines: StockLine[]; soldFrom?: string }): Promise<void> => {
    if (!reference) throw new RangeError('restock needs a reference');
    const merged = mergeLines(lines);
    const invalid = merged.find((l) => !isUuid(l.variantId));
    if (invalid) throw new RangeError(`cannot restock ${invalid.variantId}: not a variant id`);
    await store.restock(reference, merged, soldFrom !== undefined && isUuid(soldFrom) ? soldFrom : undefined);
  };
