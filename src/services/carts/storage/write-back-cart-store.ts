import type { Logger } from 'pino';
import { isUuid } from '../../../platform/ids.js';
import { createCartFlusher, type CartFlusher } from './cart-flusher.js';
import type { CartChangeResult, CartRecord, CartStore } from './cart-store.js';
import type { CartChange, CartWorkingCopy, WorkingCart } from './cart-working-copy.js';
import type { CartSnapshots } from './sql-cart-snapshots.js';

export interface WriteBackCartStoreOptions {
  /** the SQL store: creates carts (its per-owner lock keeps the open-cart cap exact) */
  sql: CartStore;
  snapshots: CartSnapshots;
  workingCopy: CartWorkingCopy;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** with Redis: how long after a change its write to PostgreSQL is due (CARTS_FLUSH_INTERVAL_MS); memory: 0 (group commit) */
  flushDelayMs: number;
  /**
   * false: due carts are written by a flusher running elsewhere (a background thread, runtime/cart-write-back-thread.ts),
   * so this store only writes status changes through; with Redis only (a memory working copy is this process's)
   */
  flushHere?: boolean;
  onFlushed?: (carts: number, written: number) => void;
  clock?: () => Date;
}

export interface WriteBackCartStore extends CartStore {
  flusher: CartFlusher;
  /** writes what is left and closes the working copy */
  close(): Promise<void>;
}

/**
 * Carts served from a working copy (Redis, or memory in the all-in-one) and written back to PostgreSQL by the
 * flusher. Reads and changes see the newest cart, so checkout does too; a cart missing from the working copy
 * (new process, Redis restarted or flushed, evicted) is read from PostgreSQL and put back.
 *
 * When a change is acknowledged:
 * - Redis: once Redis has it. A process killed before the flush leaves the cart due in Redis, and any process's
 *   flusher (or its restart) writes it. Lost only with Redis itself before the flush (see docs/carts.md).
 * - memory: once PostgreSQL has it (`durable`), since the process's memory is all there is: a kill before the flush
 *   loses only changes whose requests never got an answer.
 * Status changes (checkout, reopen) are written through either way: the open-cart count PostgreSQL keeps for
 * createWithinLimit, and a checkout's claim, must never wait in a cache.
 */
export function createWriteBackCartStore({ sql, snapshots, workingCopy, logger, flushDelayMs, flushHere = true, onFlushed, clock = () => new Date() }: WriteBackCartStoreOptions): WriteBackCartStore {
  if (!flushHere && workingCopy.kind !== 'redis') throw new Error('carts in this process\'s memory are written back by this process (flushHere)');
  const flusher = createCartFlusher({ workingCopy, snapshots, logger, delayMs: flushDelayMs, periodic: flushHere && workingCopy.kind === 'redis', ...(onFlushed ? { onFlushed } : {}) });
  // the due entry each change adds is what the flusher elsewhere finds: nothing to wake here
  const kick = flushHere ? () => flusher.kick() : () => {};

  /** the working cart, loaded from PostgreSQL when the working copy does not hold it */
  const working = async (cartId: string): Promise<WorkingCart | null> => {
    const held = await workingCopy.read(cartId);
    if (held) return held;
    const snapshot = await snapshots.load(cartId);
    return snapshot ? workingCopy.populate(snapshot.cart, snapshot.version) : null;
  };

  const apply = async (cartId: string, change: CartChange) => {
    const now = clock();
    let outcome = await workingCopy.apply(cartId, change, now, now.getTime() + flushDelayMs);
    if (!outcome.ok && outcome.code === 'NOT_LOADED') {
      if (!(await working(cartId))) return { ok: false as const, code: 'CART_NOT_FOUND' as const };
      outcome = await workingCopy.apply(cartId, change, now, now.getTime() + flushDelayMs);
      // evicted again between the two calls: answer as a lost race, never as a write
      if (!outcome.ok && outcome.code === 'NOT_LOADED') throw new Error(`cart ${cartId} left the working copy while it was changed`);
    }
    if (outcome.ok && outcome.changed) kick();
    return outcome;
  };

  const change = async (cartId: string, c: CartChange): Promise<CartChangeResult> => {
    const outcome = await apply(cartId, c);
    if (!outcome.ok) return outcome as CartChangeResult;
    // awaited only where there is something to wait for (memory): an await of nothing still costs a promise and a turn
    if (outcome.durable) await outcome.durable;
    return { ok: true, cart: outcome.cart };
  };

  // a new cart goes straight into the working copy (its first add then needs no PostgreSQL read); if Redis is away,
  // the cart is created all the same and loaded on first use
  const loaded = async (cart: CartRecord) => {
    try {
      return (await workingCopy.populate(cart, 0)).cart;
    } catch (err) {
      logger.warn({ err, cartId: cart.id }, 'new cart not put in the working copy; it is loaded on first use');
      return cart;
    }
  };

  return {
    flusher,

    async create(input) {
      return loaded(await sql.create(input));
    },

    async createWithinLimit(input) {
      const cart = await sql.createWithinLimit(input);
      return cart ? loaded(cart) : null;
    },

    async findForOwner(cartId, ownerId) {
      if (!isUuid(cartId) || !isUuid(ownerId)) return null;
      const found = await working(cartId);
      return found && found.cart.ownerId === ownerId ? found.cart : null;
    },

    addItem({ cartId, ownerId, itemId, variantId, quantity, currency }) {
      if (!isUuid(cartId) || !isUuid(ownerId)) return Promise.resolve({ ok: false, code: 'CART_NOT_FOUND' });
      return change(cartId, { kind: 'add', ownerId, itemId, variantId, quantity, currency });
    },

    setItemQuantity({ cartId, ownerId, itemId, quantity }) {
      if (!isUuid(cartId) || !isUuid(ownerId)) return Promise.resolve({ ok: false, code: 'CART_NOT_FOUND' });
      return change(cartId, isUuid(itemId) ? { kind: 'set', ownerId, itemId, quantity } : { kind: 'remove', ownerId, itemId: '' });
    },

    removeItem({ cartId, ownerId, itemId }) {
      if (!isUuid(cartId) || !isUuid(ownerId)) return Promise.resolve({ ok: false, code: 'CART_NOT_FOUND' });
      return change(cartId, { kind: 'remove', ownerId, itemId: isUuid(itemId) ? itemId : '' });
    },

    async markCheckedOut(cartId, orderId) {
      if (!isUuid(cartId) || !isUuid(orderId)) return false;
      const outcome = await apply(cartId, { kind: 'checkout', orderId });
      if (!outcome.ok) return false;
      // written through before answering: the order is placed only on a claim PostgreSQL holds
      await flusher.flushNow(cartId);
      await outcome.durable;
      return true;
    },

    async reopen(cartId, orderId) {
      if (!isUuid(cartId) || !isUuid(orderId)) return;
      const outcome = await apply(cartId, { kind: 'reopen', orderId });
      if (!outcome.ok) return;
      await flusher.flushNow(cartId);
      await outcome.durable;
    },

    async close() {
      await flusher.stop();
      await workingCopy.close();
    },
  };
}
