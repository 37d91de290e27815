import type { ScopeSnapshot } from '../../platform/counters/counter-store.js';
import type { FlashSaleStatus } from './contract/flash-sales-client.js';
import type { SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleRecord } from './storage/sale-store.js';

/** What a shopper sees of a sale: the stored sale, its remaining units and its queue. */
export interface SaleState {
  sale: SaleRecord;
  /** the status as of now: a live sale whose counters say nothing is left reads as sold out before the worker stores it */
  status: FlashSaleStatus;
  remaining: number;
  /** positions handed out and admitted; null when the counters are not loaded */
  queue: { length: number; admittedUpTo: number } | null;
  /** what is on sale, for the waiting-room page; null when the catalog does not know the variant (or was not asked) */
  product: SaleProduct | null;
}

export interface SaleProduct {
  id: string;
  name: string;
  variantTitle: string;
}

export interface GetSaleDeps {
  sale: (id: string) => Promise<SaleRecord | null>;
  snapshot: (saleId: string) => Promise<ScopeSnapshot | null>;
  reservations: SaleReservationStore;
  /** the variant's product (the catalog, cached per process); absent → no product on the answer */
  product?: (variantId: string) => Promise<SaleProduct | null>;
}

/** Public and cheap: the sale from the per-process cache, its counts from the frontier cache. */
export const makeGetSale = ({ sale: findSale, snapshot, reservations, product: productOf }: GetSaleDeps) => {
  const stateOf = async (sale: SaleRecord): Promise<Omit<SaleState, 'product'>> => {
    if (sale.status === 'ended') return { sale, status: 'ended', remaining: 0, queue: null };
    const counts = sale.status === 'scheduled' ? null : await snapshot(sale.id);
    if (counts) {
      const status = sale.status === 'live' && counts.available === 0 && counts.held === 0 ? 'sold_out' : sale.status;
      return { sale, status, remaining: counts.available, queue: { length: counts.queueLength, admittedUpTo: counts.frontier } };
    }
    if (sale.status === 'scheduled') return { sale, status: sale.status, remaining: sale.quantity, queue: null };
    // counters not loaded (being rebuilt): PostgreSQL's count, rare and only until the reconciler ran
    const units = await reservations.unitsByStatus(sale.id);
    return { sale, status: sale.status, remaining: Math.max(0, sale.quantity - units.held - units.ordered - units.sold), queue: null };
  };
  return async (id: string): Promise<SaleState | null> => {
    const sale = await findSale(id);
    if (!sale) return null;
    // the product is decoration: a catalog hiccup must not fail the sale's own answer
    const [state, product] = await Promise.all([stateOf(sale), productOf ? productOf(sale.variantId).catch(() => null) : null]);
    return { ...state, product };
  };
};
