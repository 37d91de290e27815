import type { SetOnHandResult, StockStore } from './storage/stock-store.js';
import { MAX_UNITS } from './stock-lines.js';

/** An operator counts the shelf: on_hand becomes the counted number, never below what is already promised. */
export const makeSetStockLevel =
  ({ store }: { store: StockStore }) =>
  async ({ variantId, onHand }: { variantId: string; onHand: number }): Promise<SetOnHandResult> => {
    if (!Number.isSafeInteger(onHand) || onHand < 0 || onHand > MAX_UNITS) throw new RangeError(`onHand must be an integer 0..${MAX_UNITS}`);
    return store.setOnHand(variantId, onHand);
  };
