import type { Money } from '../../../platform/money.js';
import type { FlashSaleStatus } from '../contract/flash-sales-client.js';
import type { FlashSaleStatusChanged } from '../contract/events.js';

export interface SaleRecord {
  id: string;
  variantId: string;
  price: Money;
  quantity: number;
  perCustomerLimit: number;
  admissionRatePerSecond: number;
  reservationLeaseMs: number;
  admissionTtlMs: number;
  allowGuests: boolean;
  startsAt: Date;
  endsAt: Date;
  status: FlashSaleStatus;
  paused: boolean;
  allocationReservationId: string | null;
  allocationReleasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewSale = Omit<SaleRecord, 'status' | 'paused' | 'allocationReleasedAt' | 'createdAt' | 'updatedAt'> & { allocationReservationId: string };

export type StatusCause = FlashSaleStatusChanged['cause'];

/**
 * The sales aggregate. Status changes are conditional updates (`where status in (from)`), so any
 * number of processes may run the status worker: one of them moves a sale, the others find nothing
 * to do. Each change writes its `flash_sale.status_changed` event in the same transaction.
 */
export interface SaleStore {
  insert(sale: NewSale): Promise<SaleRecord>;
  find(id: string): Promise<SaleRecord | null>;
  /** newest first; `beforeId` is the last id of the previous page */
  list(input: { limit: number; beforeId?: string }): Promise<SaleRecord[]>;
  /** sales that are not over (scheduled, live, sold out), soonest start first, at most `limit` */
  listOpen(limit: number): Promise<SaleRecord[]>;
  /** null when the sale is unknown or ended (an ended sale cannot be paused or resumed) */
  setPaused(id: string, paused: boolean, at: Date): Promise<SaleRecord | null>;
  /** moves a sale whose status is one of `from` to `to`; null when it was not in `from` (someone else moved it) */
  transition(id: string, change: { from: FlashSaleStatus[]; to: FlashSaleStatus; cause: StatusCause; at: Date }): Promise<SaleRecord | null>;
  /**
   * scheduled → live for a sale whose start has come, with the row locked while `prepare` runs
   * (the counters are loaded there), so two processes never load a sale's counters at once and
   * no one joins before they are loaded. Null when it was not due, or another process holds it.
   */
  goLive(id: string, now: Date, prepare: (sale: SaleRecord) => Promise<void>): Promise<SaleRecord | null>;
  /** ended sales whose allocation has not been given back yet */
  listAllocationsToRelease(limit: number): Promise<SaleRecord[]>;
  markAllocationReleased(id: string, at: Date): Promise<void>;
  /** ended sales whose counters are still kept although no reservation is held or ordered any more */
  listCountersToDrop(limit: number): Promise<SaleRecord[]>;
  markCountersDropped(id: string, at: Date): Promise<void>;
}
