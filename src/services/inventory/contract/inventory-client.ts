export interface StockLine {
  variantId: string;
  quantity: number;
}

export type ReserveResult =
  | { ok: true; reservationId: string; expiresAt: Date }
  | { ok: false; code: 'INVENTORY_INSUFFICIENT'; variantId: string; available: number }
  /** the reference's earlier reservation was released (expired, or given back): it cannot be held again under that reference */
  | { ok: false; code: 'INVENTORY_RESERVATION_RELEASED'; reservationId: string }
  /** only with `from`: the allocation is unknown, committed or released (the sale ended) */
  | { ok: false; code: 'INVENTORY_ALLOCATION_NOT_HELD'; allocationId: string };

export interface ReserveInput {
  reference: string;
  lines: StockLine[];
  ttlMs: number;
  /** carve the units out of this held reservation (a flash sale's allocation) instead of the shelf */
  from?: string;
}

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
  /**
   * With `from`, the units are carved out of `from`, a held reservation (a flash sale's allocation),
   * in one transaction: the allocation's quantity drops, the variant's `reserved` stays as it is.
   * INVENTORY_INSUFFICIENT (`available` = what the allocation still holds of the variant) or
   * INVENTORY_ALLOCATION_NOT_HELD when it cannot. Releasing (or expiring) the new hold gives its units
   * back to the allocation while that still holds, else to the shelf. Idempotent per `reference`.
   */
  reserve(input: ReserveInput): Promise<ReserveResult>;
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
  /**
   * units come back after a committed sale is cancelled; idempotent per reference. With `soldFrom` (the
   * order's committed hold), units carved from a flash sale's allocation go back into it while the sale still
   * holds it (not ended), so the sale sells them again; otherwise, and without it, to the shelf.
   */
  restock(input: { reference: string; lines: StockLine[]; soldFrom?: string }): Promise<void>;
  /** on_hand − reserved per variant; unknown variants answer 0 */
  available(variantIds: readonly string[]): Promise<Map<string, number>>;
}
