import type { ScopeState } from '../../../platform/counters/counter-store.js';
import type { SaleReservationStatus } from '../contract/flash-sales-client.js';

export interface SaleReservationRecord {
  id: string;
  saleId: string;
  customerId: string;
  quantity: number;
  idempotencyKey: string;
  requestHash: string;
  status: SaleReservationStatus;
  orderId: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The counter store's idempotency key of a reservation: its keys are per sale, so the customer's id
 * keeps two customers' Idempotency-Keys apart. Reserving and rebuilding the counters both use it.
 */
export const holdKeyOf = (customerId: string, idempotencyKey: string) => `${customerId}:${idempotencyKey}`;

export type NewSaleReservation = Pick<SaleReservationRecord, 'id' | 'saleId' | 'customerId' | 'quantity' | 'idempotencyKey' | 'requestHash' | 'expiresAt'>;

export type ClaimStoreResult =
  | { ok: true; reservation: SaleReservationRecord; replayed: boolean }
  | { ok: false; code: 'NOT_FOUND' | 'EXPIRED' | 'CLAIMED' };

/**
 * Sale reservations: one row per counter hold (same id). A row is written before the 201 is
 * answered; every status change is conditional on the status it leaves and writes its
 * `flash_sale.reservation_changed` event in the same transaction.
 */
export interface SaleReservationStore {
  /** 'duplicate' when a row with this id, or this sale + customer + idempotency key, already exists */
  insert(reservation: NewSaleReservation): Promise<'inserted' | 'duplicate'>;
  find(id: string): Promise<SaleReservationRecord | null>;
  findByKey(saleId: string, customerId: string, idempotencyKey: string): Promise<SaleReservationRecord | null>;
  /**
   * held → ordered for `orderId`, only for `customerId` and while `now` is before the lease end;
   * a reservation already ordered for the same orderId answers `replayed: true`.
   */
  claim(input: { id: string; customerId: string; orderId: string; now: Date }): Promise<ClaimStoreResult>;
  /** the reservation an order claimed, or null */
  findByOrder(orderId: string): Promise<SaleReservationRecord | null>;
  /**
   * Gives a claim back (the checkout that claimed it failed before its order was written):
   * `ordered` for `orderId` → `held` again while its lease runs, else `expired`. Null when it is
   * not ordered for that order (never claimed by it, or settled since).
   */
  unclaim(input: { id: string; orderId: string; now: Date }): Promise<SaleReservationRecord | null>;
  /** `ordered` reservations whose lease ended at or before `before`, oldest first (the abandoned-claim sweep) */
  listOrderedLapsed(before: Date, limit: number): Promise<SaleReservationRecord[]>;
  /** moves a reservation whose status is one of `from` to `to`; null when it was not in `from` */
  transition(id: string, change: { from: SaleReservationStatus[]; to: SaleReservationStatus; at: Date }): Promise<SaleReservationRecord | null>;
  /** held reservations whose lease ended at or before `now`, oldest first */
  listExpiredHeld(now: Date, limit: number): Promise<SaleReservationRecord[]>;
  /** what PostgreSQL says the sale's counters must hold (FLASH.md "Counters rebuild") */
  scopeState(saleId: string, quantity: number): Promise<ScopeState>;
  /** units per status of one sale (absent statuses are 0) */
  unitsByStatus(saleId: string): Promise<Record<SaleReservationStatus, number>>;
}
