import type { SaleRecord, SaleStore } from './storage/sale-store.js';

export type SetSalePausedResult = { ok: true; sale: SaleRecord } | { ok: false; code: 'FLASH_SALE_NOT_FOUND' | 'FLASH_SALE_ENDED' };

/**
 * Pause or resume. A paused sale still queues joins, but admission stops and reservations are
 * refused (409 FLASH_SALE_PAUSED); resuming picks up where it was. Doing it twice is harmless.
 */
export const makeSetSalePaused =
  ({ sales, clock, onChanged }: { sales: SaleStore; clock: () => Date; onChanged: (saleId: string) => void }) =>
  async (saleId: string, paused: boolean): Promise<SetSalePausedResult> => {
    const sale = await sales.setPaused(saleId, paused, clock());
    if (sale) {
      onChanged(saleId);
      return { ok: true, sale };
    }
    return (await sales.find(saleId)) ? { ok: false, code: 'FLASH_SALE_ENDED' } : { ok: false, code: 'FLASH_SALE_NOT_FOUND' };
  };
