/** How many requests a key may make per window: `points` per `durationSeconds`. */
export interface LimitPolicy {
  points: number;
  durationSeconds: number;
}

/** A key's standing after an operation. */
export interface LimitState {
  /** false when the key has used more than its points (or is blocked) */
  allowed: boolean;
  /** points left in this window (0 when refused) */
  remaining: number;
  /** points used in this window, including the one just asked for */
  consumed: number;
  /** milliseconds until the window resets (or the block ends) */
  resetMs: number;
}

/**
 * One named limit over many keys (a client address, a customer, an API key). Over-limit is an answer,
 * never a thrown error; a store failure throws (adapters may fall back, see redis-rate-limiter.ts).
 */
export interface RateLimiter {
  readonly name: string;
  readonly policy: LimitPolicy;
  /** use `points` (default 1) and say whether the key was still within its limit */
  consume(key: string, points?: number): Promise<LimitState>;
  /**
   * What `consume` would answer, counted the same way, when the limiter can tell without a store call (a lease
   * held in memory, leased-limiter.ts); undefined (nothing counted) when only `consume` can tell. Lets a request
   * hook answer without a promise: on Node 20 each one pays AsyncLocalStorage's hooks.
   */
  consumeNow?(key: string, points?: number): LimitState | undefined;
  /** add points without asking (a failure to count); never refuses */
  penalty(key: string, points?: number): Promise<LimitState>;
  /** give points back (a request that should not have counted) */
  reward(key: string, points?: number): Promise<LimitState>;
  /** the key's standing without using anything; a key never seen is allowed with all its points */
  peek(key: string): Promise<LimitState>;
  /** refuse the key for `seconds`, whatever it used */
  block(key: string, seconds: number): Promise<void>;
  /** forget the key (a successful login clears its failures) */
  reset(key: string): Promise<void>;
}

/** Makes the limiter for one named limit; every limiter of a process shares one store. */
export interface RateLimiterStore {
  readonly kind: 'memory' | 'redis';
  limiter(name: string, policy: LimitPolicy): RateLimiter;
  close(): Promise<void>;
}
