import type { SaleRecord } from './storage/sale-store.js';

export type ClosedSaleRefusal =
  | { ok: false; code: 'FLASH_SALE_NOT_FOUND'; saleId: string }
  | { ok: false; code: 'FLASH_SALE_ENDED'; saleId: string }
  | { ok: false; code: 'FLASH_SALE_NOT_LIVE'; saleId: string; status: string }
  | { ok: false; code: 'FLASH_SALE_SOLD_OUT'; saleId: string };

/**
 * Why a sale cannot be joined or bought from right now, or null when it can. The clock counts as
 * well as the status: between ends_at and the status worker's next pass the sale is already over.
 * `soldOut`: refuse a sale marked sold out (a join); a reservation asks the counters instead, which
 * know whether a unit came back since.
 */
export function refusalOfClosedSale(sale: SaleRecord | null, saleId: string, now: Date, { soldOut }: { soldOut: boolean }): ClosedSaleRefusal | null {
  if (!sale) return { ok: false, code: 'FLASH_SALE_NOT_FOUND', saleId };
  if (sale.status === 'ended' || now >= sale.endsAt) return { ok: false, code: 'FLASH_SALE_ENDED', saleId };
  if (sale.status === 'scheduled' || now < sale.startsAt) return { ok: false, code: 'FLASH_SALE_NOT_LIVE', saleId, status: 'scheduled' };
  if (soldOut && sale.status === 'sold_out') return { ok: false, code: 'FLASH_SALE_SOLD_OUT', saleId };
  return null;
}
