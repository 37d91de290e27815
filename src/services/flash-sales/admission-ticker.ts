import type { Logger } from 'pino';
import type { CounterStore, ScopeSnapshot } from '../../platform/counters/counter-store.js';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { SaleRecord } from './storage/sale-store.js';

export interface AdmissionTickDeps {
  counters: CounterStore;
  /** live sales, from a per-process cache (a tick must not cost a database query) */
  liveSales: () => Promise<SaleRecord[]>;
  /** the per-process frontier cache: the snapshot the polls also read */
  snapshot: (saleId: string) => Promise<ScopeSnapshot | null>;
  clock: () => Date;
  /** admitted-but-unresolved customers allowed per remaining unit (FLASH_SALE_OVERBOOKING) */
  overbooking: number;
  /**
   * told after each tick: customers waiting behind the frontier and admitted ones not yet resolved, over the
   * live sales (from the snapshots the tick read anyway). What an autoscaler for the waiting room scales on.
   */
  observe?: (totals: { waiting: number; unresolved: number }) => void;
}

/**
 * One admission tick: the frontier of every live, unpaused sale moves at its admission rate, but
 * never past remaining units × overbooking unresolved admissions. Every process ticks; the counter
 * store paces a scope from its own last-admit time, so ticks from many processes admit no more.
 */
export const makeAdmissionTick =
  ({ counters, liveSales, snapshot, clock, overbooking, observe }: AdmissionTickDeps) =>
  async (): Promise<number> => {
    let ticked = 0;
    const totals = { waiting: 0, unresolved: 0 };
    for (const sale of await liveSales()) {
      const now = clock();
      if (sale.status !== 'live' || now < sale.startsAt || now >= sale.endsAt) continue;
      const counts = await snapshot(sale.id);
      if (!counts) continue;
      // a paused sale's queue still waits: it counts, but nobody is admitted
      totals.waiting += Math.max(0, counts.queueLength - counts.frontier);
      totals.unresolved += counts.unresolved;
      if (sale.paused) continue;
      const result = await counters.admit(sale.id, {
        ratePerSecond: sale.admissionRatePerSecond,
        maxUnresolved: Math.floor(counts.available * overbooking),
        nowMs: now.getTime(),
        admissionTtlMs: sale.admissionTtlMs,
      });
      if (result.ok) ticked++;
    }
    observe?.(totals);
    return ticked;
  };

export function createAdmissionTicker({ tick, logger, tickMs }: { tick: () => Promise<number>; logger: Logger; tickMs: number }): Worker {
  const pass = async () => {
    await tick();
    // never "busy": pacing is per tick, so the next tick always waits tickMs
    return 0;
  };
  return createPollingWorker({ name: 'flash-sale-admission', pass, logger, idleMs: tickMs });
}
