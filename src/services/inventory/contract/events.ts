/** `stock.released`: held units went back to available (payment failed, order cancelled, reservation expired). */
export interface StockReleased {
  reservationId: string;
  reference: string;
  reason: string;
  lines: Array<{ variantId: string; quantity: number }>;
}
/** `reservation.expired`: a hold ran out before it was committed; the owner of `reference` decides what follows. */
export interface ReservationExpired {
  reservationId: string;
  reference: string;
}
export const InventoryEvents = { stockReleased: 'stock.released', reservationExpired: 'reservation.expired' } as const;
