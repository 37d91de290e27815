/** Idempotency keys are scoped per customer: two customers may pick the same key. */
export interface IdempotencyScope {
  customerId: string;
  key: string;
}

/** The right to run the request once; `lockedUntil` doubles as the fencing token of this claim. */
export interface IdempotencyClaim extends IdempotencyScope {
  lockedUntil: Date;
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

export interface IdempotencyStore {
  /**
   * Claims the key for one request. Of any number of concurrent calls with one key, exactly one
   * is `started`; a claim whose `locked_until` has passed may be taken over by the next call,
   * which gets the order id of the claim it took over.
   */
  begin(input: { scope: IdempotencyScope; requestHash: string; now: Date; lockMs: number }): Promise<BeginResult>;
  /** saves the final response; false when the claim had been taken over (nothing saved) */
  complete(claim: IdempotencyClaim, response: SavedResponse): Promise<boolean>;
  /** forgets the claim so the client can retry with the same key; a no-op for a lost claim */
  release(claim: IdempotencyClaim): Promise<void>;
  /** drops completed keys created before `cutoff` (clients retry within hours, not weeks) */
  deleteCompletedBefore(cutoff: Date): Promise<number>;
}
