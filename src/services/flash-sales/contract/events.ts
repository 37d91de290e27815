import type { FlashSaleStatus, SaleReservationStatus } from './flash-sales-client.js';

/** `flash_sale.status_changed`: the status worker or an admin moved a sale (scheduled → live → sold_out ⇄ live → ended). */
export interface FlashSaleStatusChanged {
  saleId: string;
  variantId: string;
  from: FlashSaleStatus;
  to: FlashSaleStatus;
  /** 'schedule' (starts_at / ends_at reached), 'stock' (sold out or units returned), 'admin' */
  cause: 'schedule' | 'stock' | 'admin';
}

/** `flash_sale.reservation_changed`: a reservation left `held` (ordered, sold, released or expired). */
export interface FlashSaleReservationChanged {
  reservationId: string;
  saleId: string;
  customerId: string;
  from: SaleReservationStatus;
  to: SaleReservationStatus;
  orderId: string | null;
}

export const FlashSaleEvents = {
  statusChanged: 'flash_sale.status_changed',
  reservationChanged: 'flash_sale.reservation_changed',
} as const;
