import type { Logger } from 'pino';
import type { CartSnapshot, CartSnapshots } from './sql-cart-snapshots.js';
import type { CartWorkingCopy, DueCart, WorkingCart } from './cart-working-copy.js';

export interface CartFlusherOptions {
  workingCopy: CartWorkingCopy;
  snapshots: CartSnapshots;
  logger: Pick<Logger, 'warn' | 'error'>;
  /**
   * How long after a change its write is due (CARTS_FLUSH_INTERVAL_MS with Redis). 0: as soon as the write in
   * progress ends (group commit: the changes that arrive during one write share the next one).
   */
  delayMs: number;
  /** look for due carts every `delayMs` even without a change here: with Redis, carts another (perhaps killed) process changed */
  periodic: boolean;
  /** carts per transaction */
  batchSize?: number;
  /** how long a claimed cart is left to its flusher before another may take it (a flusher that died or a PostgreSQL outage) */
  leaseMs?: number;
  onFlushed?: (carts: number, written: number) => void;
}

export interface CartFlusher {
  /** a change was made: make sure a flush is coming */
  kick(): void;
  /** writes this cart now if the working copy holds a newer version than PostgreSQL (status changes are written through) */
  flushNow(cartId: string): Promise<void>;
  start(): void;
  /** stops the timer and writes every changed cart once more */
  stop(): Promise<void>;
}

/**
 * Writes changed carts from the working copy back to PostgreSQL, coalesced: whatever number of changes a cart
 * had, one write of its newest version; whatever number of carts are due, one transaction per batch.
 */
export function createCartFlusher({ workingCopy, snapshots, logger, delayMs, periodic, batchSize = 500, leaseMs = Math.max(5_000, delayMs * 20), onFlushed }: CartFlusherOptions): CartFlusher {
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const changed = (working: WorkingCart | null): CartSnapshot | null =>
    working && working.version > working.flushedVersion ? { cart: working.cart, version: working.version } : null;

  /** writes the batch to PostgreSQL, then tells the working copy, and lets the claimed carts (`due`) go */
  const write = async (batch: CartSnapshot[], due?: DueCart[]) => {
    try {
      const written = batch.length > 0 ? await snapshots.save(batch) : 0;
      // memory: wakes the requests waiting for these versions; Redis keeps no mark (redis-cart-working-copy.ts)
      await workingCopy.markFlushed(batch.map((s) => ({ cartId: s.cart.id, version: s.version })));
      if (due) await workingCopy.release(due);
      if (batch.length > 0) onFlushed?.(batch.length, written);
    } catch (err) {
      // memory: nobody was told these changes were saved, so they are refused now rather than kept unsaved;
      // Redis: they stay in Redis and their lease runs out, so a flusher takes them again
      const reason = err instanceof Error ? err : new Error(String(err));
      for (const s of batch) workingCopy.discard?.(s.cart.id, reason);
      throw err;
    }
  };

  const flushDue = async (due: DueCart[]) => {
    // a round trip per step for the whole batch, not per cart: with Redis each command is a socket write
    const batch = (await workingCopy.readMany(due.map((d) => d.cartId))).map(changed).filter((s): s is CartSnapshot => s !== null);
    await write(batch, due);
  };

  const drain = async (untilMs: () => number) => {
    for (;;) {
      const now = Date.now();
      const due = await workingCopy.claimDue(untilMs(), batchSize, now + leaseMs);
      if (due.length === 0) return;
      await flushDue(due);
      if (due.length < batchSize) return;
    }
  };

  const schedule = (ms: number) => {
    if (timer || stopped) return;
    // an unref'd immediate does not stop the event loop from blocking in poll: it could wait for unrelated I/O
    if (ms <= 0) timer = setImmediate(tick);
    else timer = setTimeout(tick, ms).unref();
  };

  function tick() {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await drain(() => Date.now());
      } while (again && !stopped);
    })()
      .catch((err: unknown) => logger.error({ err }, 'cart write-back failed; the carts stay in the working copy and are written again'))
      .finally(() => {
        running = undefined;
        if (again) schedule(0);
        if (periodic) schedule(delayMs);
      });
  }

  return {
    kick: () => schedule(delayMs),
    async flushNow(cartId) {
      // leased first, read after: a change made after the read lowers the lease (it stays due), one made before is written here
      const due = await workingCopy.claim(cartId, Date.now() + leaseMs);
      const snapshot = changed(await workingCopy.read(cartId));
      await write(snapshot ? [snapshot] : [], [due]);
    },
    start: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
        timer = undefined;
      }
      await running;
      // what is still due (also not due yet) is written now: a clean stop leaves nothing behind
      await drain(() => Number.MAX_SAFE_INTEGER).catch((err: unknown) => logger.warn({ err }, 'cart write-back at shutdown failed; Redis keeps the changes for the next process'));
    },
  };
}
