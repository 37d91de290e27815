import type { SaleLifecycle } from './sale-lifecycle.js';
import type { SaleRecord, SaleStore } from './storage/sale-store.js';

export type EndSaleResult = { ok: true; sale: SaleRecord; ended: boolean } | { ok: false; code: 'FLASH_SALE_NOT_FOUND' };

/**
 * Ends a sale now: no more joins, admissions or reservations, and the unsold units go back to the
 * shelf (the allocation is released). Reservations already ordered keep their units. Ending an
 * ended sale answers it as it is (`ended: false`).
 */
export const makeEndSale =
  ({ sales, lifecycle }: { sales: SaleStore; lifecycle: SaleLifecycle }) =>
  async (saleId: string): Promise<EndSaleResult> => {
    const ended = await lifecycle.end(saleId, 'admin');
    if (ended) return { ok: true, sale: ended, ended: true };
    const sale = await sales.find(saleId);
    if (!sale) return { ok: false, code: 'FLASH_SALE_NOT_FOUND' };
    return { ok: true, sale, ended: false };
  };
