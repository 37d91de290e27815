import type { CounterStore, ScopeSnapshot } from '../../platform/counters/counter-store.js';
import type { Principal } from '../../platform/auth/principal.js';
import { DEFAULT_POLL_MIN_MS, retryAfterMs } from './poll-interval.js';
import { signTicket } from './queue-tickets.js';
import type { SaleKeys } from './sale-keys.js';
import { refusalOfClosedSale, type ClosedSaleRefusal } from './sale-gates.js';
import type { SaleRecord } from './storage/sale-store.js';

export type JoinQueueResult =
  | { ok: true; ticket: string; position: number; joined: boolean; retryAfterMs: number }
  | ClosedSaleRefusal
  | { ok: false; code: 'FLASH_SALE_GUESTS_EXCLUDED' | 'FLASH_SALE_UNAVAILABLE' };

export interface JoinQueueDeps {
  sale: (id: string) => Promise<SaleRecord | null>;
  counters: CounterStore;
  keys: () => Promise<SaleKeys>;
  clock: () => Date;
  /** the per-process frontier cache the polls read (≤ 250 ms old, single flight) */
  snapshot: (saleId: string) => Promise<ScopeSnapshot | null>;
  pollBudgetPerSecond: number;
  random?: () => number;
}

/**
 * Joins the waiting room: one atomic enqueue in the counter store and a signed ticket; nothing is
 * written to PostgreSQL. Joining again answers the first position, so the same ticket. A paused
 * sale still queues (admission is what pauses). The answer says when to poll first, by the same
 * model as a poll's answer: a million joins in the opening second must not poll in the next one.
 */
export const makeJoinQueue =
  ({ sale: findSale, counters, keys, clock, snapshot, pollBudgetPerSecond, random }: JoinQueueDeps) => {
    const firstPollAfterMs = async (saleId: string, position: number): Promise<number> => {
      const counts = await snapshot(saleId);
      // admitted already, or no frontier to measure from: the front's interval
      if (!counts || position <= counts.frontier) return DEFAULT_POLL_MIN_MS;
      // the cached snapshot may predate this join: the ticket counts as waiting all the same
      const waiting = Math.max(counts.queueLength, position) - counts.frontier;
      return retryAfterMs({ distance: position - counts.frontier, waiting, budgetPerSecond: pollBudgetPerSecond, ...(random ? { random } : {}) });
    };
    return async ({ saleId, principal }: { saleId: string; principal: Principal }): Promise<JoinQueueResult> => {
      const sale = await findSale(saleId);
      const closed = refusalOfClosedSale(sale, saleId, clock(), { soldOut: true });
      if (closed) return closed;
      if (principal.role === 'guest' && !sale?.allowGuests) return { ok: false, code: 'FLASH_SALE_GUESTS_EXCLUDED' };
      const entry = await counters.enqueue(saleId, principal.customerId);
      if (!entry.ok) return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
      const ticket = signTicket((await keys()).ticket, { saleId, customerId: principal.customerId, position: entry.position });
      return { ok: true, ticket, position: entry.position, joined: entry.joined, retryAfterMs: await firstPollAfterMs(saleId, entry.position) };
    };
  };
