import type { StockStore } from './storage/stock-store.js';
import { isUuid } from './stock-lines.js';

/** on_hand − reserved for each asked variant; unknown (or malformed) variants answer 0. */
export const makeGetAvailableStock =
  ({ store }: { store: StockStore }) =>
  async (variantIds: readonly string[]): Promise<Map<string, number>> => {
    const known = await store.available(variantIds.filter(isUuid));
    return new Map(variantIds.map((id) => [id, known.get(id) ?? 0]));
  };
