import type { StockLevel, StockStore } from './storage/stock-store.js';

export type GetStockLevelResult = { ok: true; level: StockLevel } | { ok: false; code: 'INVENTORY_NOT_FOUND' };

export const makeGetStockLevel =
  ({ store }: { store: StockStore }) =>
  async (variantId: string): Promise<GetStockLevelResult> => {
    const level = await store.getLevel(variantId);
    return level ? { ok: true, level } : { ok: false, code: 'INVENTORY_NOT_FOUND' };
  };
