import type { Logger } from 'pino';
import type { CounterStore, ScopeSnapshot } from '../../platform/counters/counter-store.js';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { SaleCounterLock } from './storage/sql-sale-counter-lock.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleRecord } from './storage/sale-store.js';

export interface ReconcileCountersDeps {
  /** the sales whose counters matter (scheduled, live and sold out, paused or not) */
  liveSales: () => Promise<SaleRecord[]>;
  reservations: SaleReservationStore;
  counters: CounterStore;
  lock: SaleCounterLock;
  logger: Logger;
  /** how many passes in a row a difference in the safe direction must stay unchanged before a rebuild */
  quietPasses?: number;
  /** a sale's counters were rebuilt in this process: drop what it cached */
  onRebuilt?: (saleId: string) => void;
}

type Figures = Pick<ScopeSnapshot, 'available' | 'held' | 'sold'>;
export type ReconcileOutcome = 'in_step' | 'busy' | 'watching' | 'rebuilt' | 'skipped';

const same = (a: Figures, b: Figures) => a.available === b.available && a.held === b.held && a.sold === b.sold;

/**
 * Compares each open sale's counters (scheduled ones too: they are loaded ahead of the start) with PostgreSQL (the truth: available = quantity − units held,
 * ordered or sold; held = units held; sold = units ordered or sold) and rebuilds them when they
 * cannot be trusted:
 * - the scope is not loaded (Redis restarted or was flushed): joins and reservations answer 503
 *   until the rebuild, which runs at once;
 * - the counters offer MORE than PostgreSQL allows: rebuilt at once. No operation in flight can
 *   show that, because takes hit the counters before PostgreSQL and every give-back hits
 *   PostgreSQL first, and a pass whose two counter reads (before and after the PostgreSQL read)
 *   differ judges nothing;
 * - the counters offer LESS (a hold whose row was never written, a give-back whose counter step
 *   was lost): rebuilt once the same difference was seen on `quietPasses` passes in a row, so an
 *   operation in flight is never mistaken for one.
 * The rebuild holds the sale's row lock, so one process rebuilds a sale at a time, and skips a
 * scope another process loaded meanwhile. Queue positions and the frontier are kept when the
 * scope still has them.
 */
export function makeReconcileCounters({ liveSales, reservations, counters, lock, logger, quietPasses = 3, onRebuilt }: ReconcileCountersDeps) {
  const watching = new Map<string, { key: string; passes: number }>();

  const truthOf = async (sale: SaleRecord): Promise<Figures> => {
    const units = await reservations.unitsByStatus(sale.id);
    return { available: sale.quantity - units.held - units.ordered - units.sold, held: units.held, sold: units.ordered + units.sold };
  };

  const rebuild = (sale: SaleRecord, wasLoaded: boolean, reason: string) =>
    lock.withSaleLocked(sale.id, async (readState): Promise<ReconcileOutcome> => {
      // another process loaded it since we looked: its load is as fresh as ours would be
      if (!wasLoaded && (await counters.snapshot(sale.id))) return 'skipped';
      const state = await readState(sale.quantity);
      await counters.load(sale.id, state, { keepQueue: true });
      logger.warn({ saleId: sale.id, reason, available: state.available, holds: state.holds.length }, 'flash sale counters rebuilt from PostgreSQL');
      return 'rebuilt';
    });

  const reconcileSale = async (sale: SaleRecord): Promise<ReconcileOutcome> => {
    const before = await counters.snapshot(sale.id);
    if (!before) {
      watching.delete(sale.id);
      return (await rebuild(sale, false, 'not_loaded')) ?? 'skipped';
    }
    const truth = await truthOf(sale);
    const after = await counters.snapshot(sale.id);
    if (!after || !same(before, after)) return 'busy';
    if (same(after, truth)) {
      watching.delete(sale.id);
      return 'in_step';
    }
    if (after.available <= truth.available) {
      const key = JSON.stringify([after.available, after.held, after.sold, truth.available, truth.held, truth.sold]);
      const seen = watching.get(sale.id);
      const passes = seen?.key === key ? seen.passes + 1 : 1;
      watching.set(sale.id, { key, passes });
      if (passes < quietPasses) return 'watching';
    }
    watching.delete(sale.id);
    const reason = after.available > truth.available ? 'counters_offer_more' : 'counters_offer_less';
    logger.warn({ saleId: sale.id, counters: after, postgres: truth }, 'flash sale counters differ from PostgreSQL');
    return (await rebuild(sale, true, reason)) ?? 'skipped';
  };

  /** one pass over every live sale; answers how many it rebuilt */
  return async (): Promise<number> => {
    let rebuilt = 0;
    for (const sale of await liveSales()) {
      try {
        const outcome = await reconcileSale(sale);
        if (outcome === 'rebuilt') {
          rebuilt++;
          onRebuilt?.(sale.id);
        }
      } catch (err) {
        // one sale's failure (Redis still down) must not keep the others from being checked
        logger.warn({ err, saleId: sale.id }, 'flash sale counters could not be reconciled; retried next pass');
      }
    }
    return rebuilt;
  };
}

/** Reconciles every ~second in every process (cheap: two snapshots and one grouped count per sale). */
export function createCounterReconcileWorker({ reconcile, logger, intervalMs = 1_000 }: { reconcile: () => Promise<number>; logger: Logger; intervalMs?: number }): Worker {
  return createPollingWorker({ name: 'flash-sale-counter-reconciler', pass: reconcile, logger, idleMs: intervalMs });
}
