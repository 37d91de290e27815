import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import type { ClaimReservationResult } from './contract/flash-sales-client.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleStore } from './storage/sale-store.js';

export interface ClaimReservationDeps {
  sales: SaleStore;
  reservations: SaleReservationStore;
  catalog: CatalogClient;
  clock: () => Date;
}

/**
 * Checkout's step into a flash sale: the customer's live reservation becomes `ordered` for the
 * order, answered as order lines at the SALE price. The client (index.ts) then settles the hold in
 * the counters, where ordered counts as sold (FLASH.md rebuild); the outcome either keeps it sold
 * (paid) or gives it back (failed/cancelled → unsell).
 */
export const makeClaimReservation =
  ({ sales, reservations, catalog, clock }: ClaimReservationDeps) =>
  async ({ reservationId, customerId, orderId }: { reservationId: string; customerId: string; orderId: string }): Promise<ClaimReservationResult> => {
    const claimed = await reservations.claim({ id: reservationId, customerId, orderId, now: clock() });
    if (!claimed.ok) return { ok: false, code: `FLASH_SALE_RESERVATION_${claimed.code}` };
    const { reservation } = claimed;
    const sale = await sales.find(reservation.saleId);
    if (!sale?.allocationReservationId) throw new Error(`flash-sales: reservation ${reservationId} names sale ${reservation.saleId}, which has no allocation`);
    const [variant] = await catalog.getVariants([sale.variantId]);
    return {
      ok: true,
      replayed: claimed.replayed,
      reservation: {
        reservationId,
        saleId: sale.id,
        customerId,
        orderId,
        allocationReservationId: sale.allocationReservationId,
        expiresAt: reservation.expiresAt,
        lines: [{ variantId: sale.variantId, sku: variant?.sku ?? sale.variantId, title: variant?.title ?? 'Flash sale item', quantity: reservation.quantity, unitPrice: sale.price }],
      },
    };
  };
