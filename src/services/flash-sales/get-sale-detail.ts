import type { CounterStore, ScopeSnapshot } from '../../platform/counters/counter-store.js';
import type { SaleReservationStatus } from './contract/flash-sales-client.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleRecord, SaleStore } from './storage/sale-store.js';

export interface SaleDetail {
  sale: SaleRecord;
  counters: ScopeSnapshot | null;
  reservations: Record<SaleReservationStatus, number>;
}

/** The admin's view of one sale: the row, the live counters (uncached) and PostgreSQL's units per status side by side. */
export const makeGetSaleDetail =
  ({ sales, reservations, counters }: { sales: SaleStore; reservations: SaleReservationStore; counters: CounterStore }) =>
  async (id: string): Promise<SaleDetail | null> => {
    const sale = await sales.find(id);
    if (!sale) return null;
    const [snapshot, units] = await Promise.all([counters.snapshot(id), reservations.unitsByStatus(id)]);
    return { sale, counters: snapshot, reservations: units };
  };
