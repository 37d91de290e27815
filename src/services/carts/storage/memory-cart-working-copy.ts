import type { CartRecord } from './cart-store.js';
import { applyCartChange, nextVersion } from './cart-changes.js';
import type { ApplyOutcome, CartChange, CartWorkingCopy, DueCart, WorkingCart } from './cart-working-copy.js';

interface Waiter {
  version: number;
  resolve(): void;
  reject(err: Error): void;
}

interface Entry extends WorkingCart {
  /** requests whose change waits for its write: the all-in-one acknowledges a change only once it is in PostgreSQL */
  waiters: Waiter[];
}

/** callers get copies: a route that decorates its answer must not change the working copy */
const copy = (cart: CartRecord): CartRecord => ({ ...cart, items: cart.items.map((i) => ({ ...i })) });

/**
 * The working copy in process memory, for the all-in-one (one process): a change is applied synchronously, so
 * changes to one cart are serialised by the event loop. Memory dies with the process, so every change carries
 * `durable`, which settles when the flusher has written it: the store acknowledges only then, and a kill before
 * that loses only changes nobody was told were saved. At most `maxCarts` carts are kept; the least recently used
 * ones that are written already make room (they are read back from PostgreSQL when needed).
 */
export function createMemoryCartWorkingCopy({ maxCarts = 100_000 }: { maxCarts?: number } = {}): CartWorkingCopy {
  const entries = new Map<string, Entry>();
  /** cart → when its write is due; claimed carts leave it, a change puts them back */
  const due = new Map<string, number>();

  const touch = (cartId: string, entry: Entry) => {
    // Map keeps insertion order: re-inserting makes this the most recently used
    entries.delete(cartId);
    entries.set(cartId, entry);
  };
  const evict = () => {
    if (entries.size <= maxCarts) return;
    for (const [cartId, entry] of entries) {
      if (entries.size <= maxCarts) return;
      if (entry.version > entry.flushedVersion || due.has(cartId)) continue;
      entries.delete(cartId);
    }
  };
  const answer = (entry: Entry): WorkingCart => ({ cart: copy(entry.cart), version: entry.version, flushedVersion: entry.flushedVersion });

  return {
    kind: 'memory',

    async read(cartId) {
      const entry = entries.get(cartId);
      if (!entry) return null;
      touch(cartId, entry);
      return answer(entry);
    },

    async readMany(cartIds) {
      return Promise.all(cartIds.map((id) => this.read(id)));
    },

    async populate(cart, version) {
      let entry = entries.get(cart.id);
      if (!entry) {
        entry = { cart: copy(cart), version, flushedVersion: version, waiters: [] };
        entries.set(cart.id, entry);
        evict();
      }
      return answer(entry);
    },

    async apply(id: string, change: CartChange, now: Date, dueAtMs: number): Promise<ApplyOutcome> {
      const entry = entries.get(id);
      if (!entry) return { ok: false, code: 'NOT_LOADED' };
      const outcome = applyCartChange(entry.cart, change, now);
      if (!outcome.ok) return outcome;
      touch(id, entry);
      if (!outcome.changed) return { ok: true, cart: copy(entry.cart), version: entry.version, changed: false };
      entry.cart = outcome.cart;
      entry.version = nextVersion(entry.version, now.getTime());
      const version = entry.version;
      due.set(id, Math.min(due.get(id) ?? Infinity, dueAtMs));
      // registered in the same synchronous step as the change: a write failing later refuses exactly these
      const durable = new Promise<void>((resolve, reject) => entry.waiters.push({ version, resolve, reject }));
      return { ok: true, cart: copy(entry.cart), version, changed: true, durable };
    },

    async markFlushed(flushed) {
      for (const { cartId, version } of flushed) {
        const entry = entries.get(cartId);
        if (!entry) continue;
        entry.flushedVersion = Math.max(entry.flushedVersion, version);
        const [done, waiting] = partition(entry.waiters, (w) => w.version <= entry.flushedVersion);
        entry.waiters = waiting;
        for (const w of done) w.resolve();
      }
    },

    async claimDue(nowMs, limit, leaseUntilMs) {
      const claimed: DueCart[] = [];
      for (const [id, at] of due) {
        if (claimed.length >= limit) break;
        if (at > nowMs) continue;
        due.delete(id);
        claimed.push({ cartId: id, lease: leaseUntilMs });
      }
      return claimed;
    },

    async claim(id, leaseUntilMs) {
      due.delete(id);
      return { cartId: id, lease: leaseUntilMs };
    },

    // claiming took the cart off the due list already; a change since then put it back
    async release() {},

    discard(id, reason) {
      const entry = entries.get(id);
      entries.delete(id);
      due.delete(id);
      for (const w of entry?.waiters ?? []) w.reject(reason);
    },

    async close() {
      const closed = new Error('the cart working copy was closed before this change was written');
      for (const id of [...entries.keys()]) this.discard!(id, closed);
    },
  };
}

function partition<T>(list: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of list) (test(item) ? yes : no).push(item);
  return [yes, no];
}
