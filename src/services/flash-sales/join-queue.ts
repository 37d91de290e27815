import type { CounterStore } from '../../platform/counters/counter-store.js';
import type { Principal } from '../../platform/auth/principal.js';
import { signTicket } from './queue-tickets.js';
import type { SaleKeys } from './sale-keys.js';
import { refusalOfClosedSale, type ClosedSaleRefusal } from './sale-gates.js';
import type { SaleRecord } from './storage/sale-store.js';

export type JoinQueueResult =
  | { ok: true; ticket: string; position: number; joined: boolean }
  | ClosedSaleRefusal
  | { ok: false; code: 'FLASH_SALE_GUESTS_EXCLUDED' | 'FLASH_SALE_UNAVAILABLE' };

export interface JoinQueueDeps {
  sale: (id: string) => Promise<SaleRecord | null>;
  counters: CounterStore;
  keys: () => Promise<SaleKeys>;
  clock: () => Date;
}

/**
 * Joins the waiting room: one atomic enqueue in the counter store and a signed ticket; nothing is
 * written to PostgreSQL. Joining again answers the first position, so the same ticket. A paused
 * sale still queues (admission is what pauses).
 */
export const makeJoinQueue =
  ({ sale: findSale, counters, keys, clock }: JoinQueueDeps) =>
  async ({ saleId, principal }: { saleId: string; principal: Principal }): Promise<JoinQueueResult> => {
    const sale = await findSale(saleId);
    const closed = refusalOfClosedSale(sale, saleId, clock(), { soldOut: true });
    if (closed) return closed;
    if (principal.role === 'guest' && !sale?.allowGuests) return { ok: false, code: 'FLASH_SALE_GUESTS_EXCLUDED' };
    const entry = await counters.enqueue(saleId, principal.customerId);
    if (!entry.ok) return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
    const ticket = signTicket((await keys()).ticket, { saleId, customerId: principal.customerId, position: entry.position });
    return { ok: true, ticket, position: entry.position, joined: entry.joined };
  };
