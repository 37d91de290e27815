import type { StockLine } from './contract/inventory-client.js';
import type { StockStore } from './storage/stock-store.js';
import { isUuid, mergeLines } from './stock-lines.js';

/** Units of a cancelled, committed sale come back on the shelf, once per reference however often it is retried. */
export const makeRestock =
  ({ store }: { store: StockStore }) =>
  async ({ reference, lines }: { reference: string; lines: StockLine[] }): Promise<void> => {
    if (!reference) throw new RangeError('restock needs a reference');
    const merged = mergeLines(lines);
    const invalid = merged.find((l) => !isUuid(l.variantId));
    if (invalid) throw new RangeError(`cannot restock ${invalid.variantId}: not a variant id`);
    await store.restock(reference, merged);
  };
