import type { CartChangeFailure, CartRecord } from './cart-store.js';

/** One change to a cart, as the working copy applies it atomically (memory: one synchronous call; Redis: one Lua script). */
export type CartChange =
  | { kind: 'add'; ownerId: string; itemId: string; variantId: string; quantity: number; currency: string }
  | { kind: 'set'; ownerId: string; itemId: string; quantity: number }
  | { kind: 'remove'; ownerId: string; itemId: string }
  | { kind: 'checkout'; orderId: string }
  | { kind: 'reopen'; orderId: string };

/** A cart in the working copy: its newest state, that state's version, and a version PostgreSQL is known to hold. */
export interface WorkingCart {
  cart: CartRecord;
  version: number;
  /**
   * memory: the newest version written (markFlushed); Redis: the version the cart was loaded at, since Redis does not
   * record writes (a cart it holds is written again only when claimed again, and PostgreSQL skips a version it has)
   */
  flushedVersion: number;
}

export type ApplyOutcome =
  /** `changed` false: nothing to write (checkout by the order that already holds it, reopen by another order) */
  | { ok: true; cart: CartRecord; version: number; changed: boolean; durable?: Promise<void> }
  | { ok: false; code: CartChangeFailure | 'NOT_LOADED' };

/** A cart the flusher took to write; `lease` hands it back (cleared only if no change came in meanwhile). */
export interface DueCart {
  cartId: string;
  lease: number;
}

/**
 * The carts' working copy (Redis in production, process memory in the all-in-one): every read and change of a
 * cart goes here first; the flusher writes changed carts back to PostgreSQL. Only loaded carts can change: a
 * change to a cart that is not there answers NOT_LOADED and the caller loads it from PostgreSQL (`populate`).
 */
export interface CartWorkingCopy {
  readonly kind: 'memory' | 'redis';
  read(cartId: string): Promise<WorkingCart | null>;
  /** the flusher's read of a batch: one round trip for all of them with Redis, answers in the order asked */
  readMany(cartIds: string[]): Promise<Array<WorkingCart | null>>;
  /** puts a cart read from PostgreSQL in, unless a copy is there already (which is newer); answers what is there */
  populate(cart: CartRecord, version: number): Promise<WorkingCart>;
  /**
   * Applies one change atomically with the cart limits, bumps the version, and marks the cart due for a write at
   * `dueAtMs` (an earlier due time stays). In memory, `durable` settles when that version is in PostgreSQL.
   */
  apply(cartId: string, change: CartChange, now: Date, dueAtMs: number): Promise<ApplyOutcome>;
  /** PostgreSQL now holds each cart at `version` (a flushed version only moves forward); memory only: Redis keeps no mark */
  markFlushed(flushed: Array<{ cartId: string; version: number }>): Promise<void>;
  /** up to `limit` carts due by `nowMs`, each leased to the caller until `leaseUntilMs` (another flusher skips it) */
  claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<DueCart[]>;
  /**
   * leases this one cart now, due or not, as claimDue would (a status change written through at once): the periodic
   * flush leaves it alone, and once the write is over `release` takes it off the due list unless a newer change came
   * in. Without it the cart's change stayed due and was written a second time (a transaction PostgreSQL skipped).
   */
  claim(cartId: string, leaseUntilMs: number): Promise<DueCart>;
  /** the write of these claimed carts is over: each leaves the due list unless a newer change came in; one round trip with Redis (one script call per lease) */
  release(due: DueCart[]): Promise<void>;
  /** memory only: the write failed, so its not yet acknowledged changes are refused (`durable` rejects) and the cart is reloaded from PostgreSQL next time */
  discard?(cartId: string, reason: Error): void;
  close(): Promise<void>;
}
