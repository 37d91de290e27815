import type { SaleState } from './get-sale.js';
import type { SaleRecord } from './storage/sale-store.js';

/** What shoppers may browse: sales not over yet (scheduled, live, sold out), soonest first. */
export const makeListOpenSales =
  ({ openSales, getSale, clock }: { openSales: () => Promise<SaleRecord[]>; getSale: (id: string) => Promise<SaleState | null>; clock: () => Date }) =>
  async (): Promise<SaleState[]> => {
    const now = clock();
    const open = (await openSales()).filter((s) => s.endsAt > now);
    const states = await Promise.all(open.map((s) => getSale(s.id)));
    return states.filter((s): s is SaleState => s !== null && s.status !== 'ended');
  };
