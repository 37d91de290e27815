import type { Logger } from 'pino';
import { createPollingWorker, type PollingWorker } from './polling-worker.js';
import type { AggregatedFailureLog } from './telemetry/failure-log.js';

export interface ClaimPipelineOptions<T, R> {
  name: string;
  /** items worked at once; a new one starts as soon as one ends */
  concurrency: number;
  /**
   * Claims up to `limit` due items, leased to the caller (a lease, not a held transaction). It is asked
   * only for as many as there are free slots, so no claimed item waits in memory while its lease runs.
   */
  claim(limit: number): Promise<T[]>;
  /** works one item; expected to settle it itself (a throw is logged and the item left to its lease) */
  run(item: T): Promise<R>;
  logger: Logger;
  /** claim failures go here (key `claim`); the caller owns it (the relay logs its publishes there too) and closes it */
  failures: AggregatedFailureLog;
  /** wait before looking again after a claim that came back short (a poke skips it) */
  idleMs: number;
  /**
   * Each claim that finds nothing doubles the next wait, up to this; a claim that finds work, or a poke, brings it
   * back to `idleMs`. Only for queues whose writers poke (in one process, every commit that enqueues does): the
   * poll then only finds what no poke announced (retries coming due, a dead process's leases), and an idle shop
   * does not query every `idleMs` for nothing. Default `idleMs`: no backoff.
   */
  maxIdleMs?: number;
  /** most items one claim asks for */
  maxClaim?: number;
  /**
   * While fewer than a quarter of the slots are free, wait up to this long for more to free before claiming:
   * a claim per freed slot would cost a query per item. 0 (the default) claims at once.
   */
  batchWindowMs?: number;
}

export interface ClaimPipeline<R> extends PollingWorker {
  /** tests and one-shot tools: one claim (up to `limit`, every slot by default), all run in `concurrency` lanes; a failed claim rejects */
  drainOnce(limit?: number): Promise<Array<R | undefined>>;
  /** items being worked now */
  inFlight(): number;
}

/**
 * A continuous bounded-concurrency pipeline over a leased work queue (the outbox relay, the payments
 * charge worker): claim as slots free, launch, refill; one slow item holds one slot, never the items
 * behind it. The loop is the polling worker's (one pass at a time, idle wait, poke); this adds the
 * slots and the `due` flag: a claim that came back short means nothing more is due, so freed slots do
 * not query again until a poke or the idle poll `idleMs` later. stop() claims nothing more and waits
 * for every item in flight.
 */
export function createClaimPipeline<T, R = void>(options: ClaimPipelineOptions<T, R>): ClaimPipeline<R> {
  const { name, concurrency, claim, run, logger, failures, idleMs, maxClaim = Number.POSITIVE_INFINITY, batchWindowMs = 0 } = options;
  const maxIdleMs = Math.max(idleMs, options.maxIdleMs ?? idleMs);
  /** the next idle poll's wait: idleMs after work or a poke, doubled by each claim that found nothing */
  let idleWait = idleMs;
  const active = new Set<Promise<unknown>>();
  /** something may be due: set by a poke and by the idle poll, cleared by a claim that came back short */
  let due = true;
  let pollTimer: NodeJS.Timeout | undefined;
  /** counts pokes, so one that lands during a claim is not cleared by that claim's short answer */
  let pokes = 0;
  let stopping = false;
  let slotFreed: (() => void) | undefined;

  const work = (item: T): Promise<R | undefined> =>
    run(item).catch((err: unknown) => {
      logger.error({ err, worker: name }, 'claimed item failed; its lease lapses and it is claimed again');
      return undefined;
    });

  const launch = (item: T) => {
    const working: Promise<unknown> = work(item).finally(() => {
      active.delete(working);
      slotFreed?.();
      worker.poke(); // a slot is free
    });
    active.add(working);
  };

  const refillAt = Math.max(1, Math.floor(concurrency / 4));
  /** resolves once `refillAt` slots are free, or after batchWindowMs (all slots may be stuck) */
  const refillWindow = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        slotFreed = undefined;
        resolve();
      };
      const timer = setTimeout(done, batchWindowMs);
      slotFreed = () => void (concurrency - active.size >= refillAt || stopping ? done() : undefined);
    });

  /** nothing more is due until a poke, or until the idle poll (a timer of its own: freed slots wake the loop, and must not push the poll back) */
  const idleUntilPoll = () => {
    due = false;
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      due = true;
      worker.poke();
    }, idleWait);
    pollTimer.unref?.();
  };

  /** never throws: a failed claim is logged here, where a claim really ran (a pass that claims nothing is no recovery) */
  const pass = async (): Promise<number> => {
    if (!due || concurrency - active.size <= 0 || stopping) return 0;
    if (batchWindowMs > 0 && concurrency - active.size < refillAt) await refillWindow();
    if (stopping) return 0;
    const limit = Math.min(concurrency - active.size, maxClaim);
    const pokesBefore = pokes;
    let items: T[];
    try {
      items = await claim(limit);
      failures.success('claim');
    } catch (err) {
      failures.failure('claim', err, { retryInMs: idleWait });
      idleUntilPoll(); // retried at the idle poll, not at every freed slot
      return 0;
    }
    for (const item of items) launch(item);
    if (items.length > 0) idleWait = idleMs;
    // a short claim: nothing more is due, unless a poke landed meanwhile
    if (items.length < limit && pokes === pokesBefore) {
      idleUntilPoll();
      if (items.length === 0) idleWait = Math.min(maxIdleMs, idleWait * 2);
    }
    // a full claim: claim again at once while slots are free (continueWhileBusy)
    return items.length === limit ? items.length : 0;
  };

  const worker = createPollingWorker({
    name,
    pass,
    logger,
    idleMs,
    continueWhileBusy: true,
  });

  return {
    name,
    start() {
      stopping = false;
      due = true;
      worker.start();
    },
    async stop() {
      stopping = true;
      slotFreed?.();
      await worker.stop();
      clearTimeout(pollTimer); // after the loop: its last pass may have set it
      // items already started finish and settle; nothing new starts
      while (active.size > 0) await Promise.all(active);
    },
    poke() {
      pokes++;
      due = true;
      idleWait = idleMs;
      worker.poke();
    },
    async drainOnce(limit = Math.min(concurrency, maxClaim)) {
      const queue = await claim(limit);
      const results: Array<R | undefined> = [];
      const lane = async () => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) results.push(await work(item));
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
      return results;
    },
    inFlight: () => active.size,
  };
}
