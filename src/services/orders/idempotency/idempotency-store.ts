/** Idempotency keys are scoped per customer: two customers may pick the same key. */
export interface IdempotencyScope {
  customerId: string;
  key: string;
}

/** A key held until `lockedUntil`, which doubles as the fencing token of whoever holds it. */
export interface IdempotencyLock extends IdempotencyScope {
  lockedUntil: Date;
}

/** The right to run the request once. */
export interface IdempotencyClaim extends IdempotencyLock {
  /**
   * The order this key's request places, fixed when the key is first claimed and kept by every
   * takeover: a retry after a crash resumes the same order (its cart claim, its stock hold) rather
   * than starting a second one.
   */
  orderId: string;
}

/** What the first request answered, replayed verbatim to every retry. */
export interface SavedResponse {
  status: number;
  body: unknown;
}

export type BeginResult =
  /** first request, or the takeover of a claim whose holder crashed (same orderId): run it */
  | { outcome: 'started'; claim: IdempotencyClaim }
  /** another request with this key is running: retry shortly */
  | { outcome: 'in_progress' }
  | { outcome: 'completed'; response: SavedResponse }
  /** the key was used with a different request body */
  | { outcome: 'mismatch' };

/** An in-progress claim whose holder let its lock lapse long ago and never placed its order. */
export interface AbandonedCheckout extends IdempotencyLock {
  /** null only on rows older than migration 002 */
  orderId: string | null;
  /** the cart the checkout may have claimed for `orderId`; null on rows older than migration 003 */
  cartId: string | null;
}

export interface IdempotencyStore {
  /**
   * Claims the key for one request. Of any number of concurrent calls with one key, exactly one
   * is `started`; a claim whose `locked_until` has passed may be taken over by the next call,
   * which gets the order id of the claim it took over.
   * `cartId` is the cart the request checks out, saved with the claim so that the cart can be
   * given back should the request die after claiming it and never be retried.
   */
  begin(input: { scope: IdempotencyScope; requestHash: string; now: Date; lockMs: number; cartId?: string | null }): Promise<BeginResult>;
  /** saves the final response; false when the claim had been taken over (nothing saved) */
  complete(claim: IdempotencyClaim, response: SavedResponse): Promise<boolean>;
  /** forgets the claim so the client can retry with the same key; a no-op for a lost claim */
  release(claim: IdempotencyLock): Promise<void>;
  /** drops completed keys created before `cutoff` (clients retry within hours, not weeks) */
  deleteCompletedBefore(cutoff: Date): Promise<number>;
  /**
   * In-progress claims whose lock lapsed before `lockedBefore` and with no order of their order
   * id, oldest first: checkouts that died and were never retried.
   */
  findAbandoned(input: { lockedBefore: Date; limit: number }): Promise<AbandonedCheckout[]>;
  /**
   * Takes an abandoned claim over for the sweeper, fenced on its lock: false when a retry took it
   * over (or completed it) meanwhile, or another sweeper got it first. On true the claim is
   * locked until `until` — no retry can resume its order — and the sweeper releases it with that lock.
   */
  seizeAbandoned(abandoned: AbandonedCheckout, until: Date): Promise<boolean>;
}
