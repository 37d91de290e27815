import type { Logger } from 'pino';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleRecord, SaleStore, StatusCause } from './storage/sale-store.js';

export interface SaleLifecycleDeps {
  sales: SaleStore;
  reservations: SaleReservationStore;
  counters: CounterStore;
  inventory: InventoryClient;
  clock: () => Date;
  logger: Logger;
  /** a sale changed in this process: drop what the process cached about it */
  onChanged: (saleId: string) => void;
}

/**
 * The status moves the worker and the admin share. Each is a conditional update in PostgreSQL,
 * so several processes doing the same move at once change the sale once.
 */
export function createSaleLifecycle({ sales, reservations, counters, inventory, clock, logger, onChanged }: SaleLifecycleDeps) {
  /** the counters as PostgreSQL says they must be; queue positions survive when the scope still has them */
  const loadCounters = async (sale: SaleRecord) => {
    await counters.load(sale.id, await reservations.scopeState(sale.id, sale.quantity), { keepQueue: true });
  };

  /** the unsold units go back to the shelf; units carved into orders' holds are not part of it any more */
  const releaseAllocation = async (sale: SaleRecord) => {
    if (sale.allocationReservationId) await inventory.release(sale.allocationReservationId, 'flash_sale_ended');
    await sales.markAllocationReleased(sale.id, clock());
    logger.info({ saleId: sale.id }, 'flash sale allocation released');
  };

  /**
   * An ended sale whose last reservation is settled (none held or ordered) needs its counters no more:
   * nothing joins, reserves, claims or expires there again, so the counter store lets them go.
   */
  const dropCounters = async (sale: SaleRecord) => {
    await counters.drop(sale.id);
    await sales.markCountersDropped(sale.id, clock());
    onChanged(sale.id);
    logger.info({ saleId: sale.id }, 'flash sale counters dropped: the sale ended and its last reservation is settled');
  };

  return {
    loadCounters,
    releaseAllocation,
    dropCounters,

    /**
     * scheduled → live once its start has come, counters loaded first (under the sale's row lock).
     * A scheduled sale has no reservations (reserving needs a live sale), so its counters start full
     * and loading them needs no read: the load runs inside the lock without a second connection.
     */
    async goLive(sale: SaleRecord): Promise<SaleRecord | null> {
      const live = await sales.goLive(sale.id, clock(), (s) => counters.load(s.id, { available: s.quantity, holds: [], soldByMember: {}, sold: [] }, { keepQueue: false }));
      if (live) {
        onChanged(sale.id);
        logger.info({ saleId: sale.id }, 'flash sale is live');
      }
      return live;
    },

    /** → ended, then the allocation is released (a failed release is retried by the status worker) */
    async end(saleId: string, cause: StatusCause): Promise<SaleRecord | null> {
      const ended = await sales.transition(saleId, { from: ['scheduled', 'live', 'sold_out'], to: 'ended', cause, at: clock() });
      if (!ended) return null;
      onChanged(saleId);
      logger.info({ saleId, cause }, 'flash sale ended');
      try {
        await releaseAllocation(ended);
        return { ...ended, allocationReleasedAt: clock() };
      } catch (err) {
        logger.warn({ err, saleId }, 'allocation release failed; the status worker retries');
        return ended;
      }
    },

    /** live ⇄ sold_out from the counters: sold out when nothing is available and nothing is held */
    async followStock(sale: SaleRecord): Promise<SaleRecord | null> {
      if (sale.status !== 'live' && sale.status !== 'sold_out') return null;
      const snapshot = await counters.snapshot(sale.id);
      // not loaded: the reconciler's business; nothing here may guess
      if (!snapshot) return null;
      const soldOut = snapshot.available === 0 && snapshot.held === 0;
      if (soldOut === (sale.status === 'sold_out')) return null;
      const moved = await sales.transition(sale.id, soldOut ? { from: ['live'], to: 'sold_out', cause: 'stock', at: clock() } : { from: ['sold_out'], to: 'live', cause: 'stock', at: clock() });
      if (moved) onChanged(sale.id);
      return moved;
    },
  };
}

export type SaleLifecycle = ReturnType<typeof createSaleLifecycle>;
