import type { CommitExpiredResult, CommitResult, ExtendResult, StockLine } from '../contract/inventory-client.js';

export interface StockLevel {
  variantId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export type StoreReserveResult =
  | { ok: true; reservationId: string; expiresAt: Date; created: boolean }
  | { ok: false; code: 'INVENTORY_INSUFFICIENT'; variantId: string; available: number }
  | { ok: false; code: 'INVENTORY_RESERVATION_RELEASED'; reservationId: string }
  | { ok: false; code: 'INVENTORY_ALLOCATION_NOT_HELD'; allocationId: string };

export interface StoredReservation {
  id: string;
  reference: string;
  status: 'held' | 'committed' | 'released';
  releaseReason: string | null;
  expiresAt: Date;
  /** the allocation the hold was carved from, or null */
  carvedFrom: string | null;
  /** an allocation's lines may have drained to 0 */
  lines: StockLine[];
}

export type SetOnHandResult =
  | { ok: true; level: StockLevel }
  | { ok: false; code: 'INVENTORY_BELOW_RESERVED'; reserved: number };

/**
 * Stock levels and reservations. Every method is one transaction; the ones that change what is
 * available to others also write their outbox events in that transaction. Stock rows are always
 * locked in ascending variant order, so any two operations can run concurrently without deadlock.
 */
export interface StockStore {
  /**
   * Holds every line or none. `lines` must name each variant once (callers merge duplicates).
   * A reservation that already exists for `reference` is answered as is (`created: false`).
   * With `from`, the units are carved out of that held reservation (an allocation) instead of the
   * shelf: its lines drop, `reserved` stays; its release gives them back while the allocation holds.
   */
  reserve(input: { id: string; reference: string; lines: StockLine[]; expiresAt: Date; from?: string }): Promise<StoreReserveResult>;
  /** held → committed: on_hand and reserved both drop; committed again is ok */
  commit(reservationId: string): Promise<CommitResult>;
  /**
   * A hold that expired (released by the expiry sweep, not by its owner) is committed straight from
   * the shelf, when every line's units are still available (`on_hand − reserved ≥ quantity`, one
   * transaction, all lines or none). Committed already is ok; a held one commits as `commit` does;
   * one released for any other reason answers RESERVATION_RELEASED.
   */
  commitExpired(reservationId: string): Promise<CommitExpiredResult>;
  /** a held reservation's expiry moves to `until` when that is later; anything not held is left as it is */
  extend(reservationId: string, until: Date): Promise<ExtendResult>;
  /**
   * held → released with `stock.released`; answers false when nothing was held (already final or unknown).
   * A carved hold's units go back to its allocation when that still holds, else to the shelf.
   */
  release(reservationId: string, reason: string): Promise<boolean>;
  /** releases up to `limit` holds whose expiry is at or before `now`; answers how many */
  expireDue(now: Date, limit: number): Promise<number>;
  /**
   * adds units to on_hand once per reference; answers false when the reference was already applied. With
   * `soldFrom` (the committed hold they were sold from), units carved from an allocation that still holds go back
   * into that allocation (on_hand and reserved rise, the allocation's lines grow), else to the shelf.
   */
  restock(reference: string, lines: StockLine[], soldFrom?: string): Promise<boolean>;
  getReservation(id: string): Promise<StoredReservation | null>;
  /** on_hand − reserved of the variants that have a stock row */
  available(variantIds: readonly string[]): Promise<Map<string, number>>;
  getLevel(variantId: string): Promise<StockLevel | null>;
  /** reservations holding stock right now (for the `floodgate_inventory_reservations_held` gauge) */
  countHeld(): Promise<number>;
  /** creates or replaces on_hand; refuses to go below what is reserved */
  setOnHand(variantId: string, onHand: number): Promise<SetOnHandResult>;
  /** bulk upsert of on_hand for seeding; a level below its reserved units fails the whole call */
  setLevels(levels: ReadonlyArray<{ variantId: string; onHand: number }>): Promise<void>;
}
