export interface StockLine {
  variantId: string;
  quantity: number;
}

export type ReserveResult =
  | { ok: true; reservationId: string; expiresAt: Date }
  | { ok: false; code: 'INVENTORY_INSUFFICIENT'; variantId: string; available: number }
  /** the reference's earlier reservation was released (expired, or given back): it cannot be held again under that reference */
  | { ok: false; code: 'INVENTORY_RESERVATION_RELEASED'; reservationId: string };

export type CommitResult = { ok: true } | { ok: false; code: 'RESERVATION_NOT_FOUND' | 'RESERVATION_RELEASED' };

export type CommitExpiredResult =
  | CommitResult
  /** the units went to someone else after the hold expired: nothing was taken */
  | { ok: false; code: 'INVENTORY_INSUFFICIENT'; variantId: string; available: number };
export type ExtendResult =
  | { ok: true; expiresAt: Date }
  | { ok: false; code: 'RESERVATION_NOT_FOUND' | 'RESERVATION_RELEASED' | 'RESERVATION_COMMITTED' };

export interface InventoryClient {
  /**
   * Holds stock for every line or for none (one transaction of conditional updates).
   * Idempotent per `reference` (the order id): asking again returns the same reservation while it
   * is held or committed, and INVENTORY_RESERVATION_RELEASED once it was released.
   */
  reserve(input: { reference: string; lines: StockLine[]; ttlMs: number }): Promise<ReserveResult>;
  /** the held units leave the shelf (on_hand and reserved both drop); idempotent */
  commit(reservationId: string): Promise<CommitResult>;
  /**
   * Commits a hold whose expiry released it, taking its units straight from the shelf if every line
   * is still available (all lines or none); INVENTORY_INSUFFICIENT when they were sold meanwhile.
   * For a payment that captured after its hold lapsed: the sale stands whenever the units are still
   * there. Idempotent (committed again is ok; a held one simply commits); a hold released by its
   * owner (cancel, failed payment) is never taken again: RESERVATION_RELEASED.
   */
  commitExpired(reservationId: string): Promise<CommitExpiredResult>;
  /**
   * A held reservation now expires no earlier than `until` (an expiry already later is kept). Only a
   * hold that still holds is extended: a committed, released or expired one is never held again.
   */
  extendReservation(reservationId: string, until: Date): Promise<ExtendResult>;
  /** the held units go back to available; idempotent, a no-op on a committed or released reservation */
  release(reservationId: string, reason: string): Promise<void>;
  /** units come back after a committed sale is cancelled; idempotent per reference */
  restock(input: { reference: string; lines: StockLine[] }): Promise<void>;
  /** on_hand − reserved per variant; unknown variants answer 0 */
  available(variantIds: readonly string[]): Promise<Map<string, number>>;
}
