import type { Logger } from 'pino';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { SaleLifecycle } from './sale-lifecycle.js';
import type { SaleStore } from './storage/sale-store.js';

/** sales looked at per pass; more open sales than this at once is not a shop we serve */
const OPEN_SALES = 500;

/**
 * One pass of the status worker: every open sale moves as its clock and its counters say —
 * ends at ends_at, goes live at starts_at, follows its stock between live and sold out — and
 * ended sales whose allocation is still held give it back, and ended sales whose last reservation
 * is settled drop their counters. Answers how many moves it made.
 */
export const makeSaleStatusPass =
  ({ sales, lifecycle, clock }: { sales: SaleStore; lifecycle: SaleLifecycle; clock: () => Date }) =>
  async (): Promise<number> => {
    let moves = 0;
    for (const sale of await sales.listOpen(OPEN_SALES)) {
      const now = clock().getTime();
      let moved;
      if (now >= sale.endsAt.getTime()) moved = await lifecycle.end(sale.id, 'schedule');
      else if (sale.status === 'scheduled' && now >= sale.startsAt.getTime()) moved = await lifecycle.goLive(sale);
      else moved = await lifecycle.followStock(sale);
      if (moved) moves++;
    }
    for (const sale of await sales.listAllocationsToRelease(50)) {
      await lifecycle.releaseAllocation(sale);
      moves++;
    }
    for (const sale of await sales.listCountersToDrop(50)) {
      await lifecycle.dropCounters(sale);
      moves++;
    }
    return moves;
  };

export function createSaleStatusWorker({ pass, logger, intervalMs = 1_000 }: { pass: () => Promise<number>; logger: Logger; intervalMs?: number }): Worker {
  return createPollingWorker({ name: 'flash-sale-status', pass, logger, idleMs: intervalMs });
}
