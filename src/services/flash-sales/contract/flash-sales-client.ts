import type { Money } from '../../../platform/money.js';

export type FlashSaleStatus = 'scheduled' | 'live' | 'sold_out' | 'ended';
export type SaleReservationStatus = 'held' | 'ordered' | 'sold' | 'released' | 'expired';

/** A sale as other services may see it. */
export interface FlashSaleSnapshot {
  id: string;
  variantId: string;
  price: Money;
  quantity: number;
  perCustomerLimit: number;
  status: FlashSaleStatus;
  paused: boolean;
  startsAt: Date;
  endsAt: Date;
  /** the inventory reservation holding the sale's carved-out units; orders carve their holds from it */
  allocationReservationId: string | null;
}

/** One order line priced at the SALE price, as checkout needs it. */
export interface ClaimedLine {
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
}

export interface ClaimedReservation {
  reservationId: string;
  saleId: string;
  customerId: string;
  orderId: string;
  lines: ClaimedLine[];
  /** carve the order's inventory hold from this reservation (InventoryClient.reserve `from`) */
  allocationReservationId: string;
  /** the reservation's lease end: the order's stock hold should not outlive the sale's */
  expiresAt: Date;
}

export type ClaimReservationResult =
  | { ok: true; reservation: ClaimedReservation; replayed: boolean }
  | {
      ok: false;
      /**
       * NOT_FOUND: unknown id, or another customer's reservation (indistinguishable on purpose);
       * EXPIRED: its lease ended or it was released; CLAIMED: another order already claimed it
       */
      code: 'FLASH_SALE_RESERVATION_NOT_FOUND' | 'FLASH_SALE_RESERVATION_EXPIRED' | 'FLASH_SALE_RESERVATION_CLAIMED';
    };

export interface FlashSalesClient {
  /**
   * Checkout from a reservation: `held` → `ordered` for `orderId`, only for the customer who holds
   * it and while its lease runs. Idempotent for the same orderId (answers `replayed: true`).
   */
  claimReservation(input: { reservationId: string; customerId: string; orderId: string }): Promise<ClaimReservationResult>;
  /**
   * Undoes a claim whose checkout failed before its order was written: `ordered` for `orderId` →
   * `held` again while its lease runs (a retry may claim it), else `expired`. A no-op otherwise.
   */
  releaseClaim(input: { reservationId: string; orderId: string }): Promise<void>;
  /** null for an unknown id */
  getSale(id: string): Promise<FlashSaleSnapshot | null>;
}
