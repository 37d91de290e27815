import type { ScopeSnapshot } from '../../platform/counters/counter-store.js';
import { signAdmissionToken } from './admission-tokens.js';
import { DEFAULT_POLL_MIN_MS, retryAfterMs } from './poll-interval.js';
import { verifyTicket } from './queue-tickets.js';
import type { SaleKeys } from './sale-keys.js';
import type { SaleRecord } from './storage/sale-store.js';

/** a sold-out answer can still turn (a payment fails, a lease ends): check back now and then */
export const DEFAULT_SOLD_OUT_RETRY_MS = 15_000;

export type PollTicketResult =
  | { ok: true; state: 'waiting' | 'sold_out'; position: number; retryAfterMs: number }
  | { ok: true; state: 'admitted'; position: number; retryAfterMs: number; admissionToken: string; admissionExpiresAt: Date }
  | {
      ok: false;
      code: 'FLASH_SALE_NOT_FOUND' | 'FLASH_SALE_TICKET_INVALID' | 'FLASH_SALE_TICKET_EXPIRED' | 'FLASH_SALE_UNAVAILABLE';
    };

export interface PollTicketDeps {
  sale: (id: string) => Promise<SaleRecord | null>;
  /** the per-process frontier cache (≤ 250 ms old, single flight) */
  snapshot: (saleId: string) => Promise<ScopeSnapshot | null>;
  keys: () => Promise<SaleKeys>;
  clock: () => Date;
  pollBudgetPerSecond: number;
  /** the retryAfterMs of a sold-out answer (FLASH_SALE_SOLD_OUT_RETRY_MS) */
  soldOutRetryMs?: number;
  random?: () => number;
}

/**
 * Answers a waiting customer from the cached frontier: no write anywhere, and at most one counter
 * read per sale per cache period in this process, however many poll. Admitted tickets get an
 * admission token; everyone waiting learns when to ask again (retryAfterMs, growing with the
 * distance to the frontier so the sale's total poll rate stays within its budget).
 */
export const makePollTicket =
  ({ sale: findSale, snapshot, keys, clock, pollBudgetPerSecond, soldOutRetryMs = DEFAULT_SOLD_OUT_RETRY_MS, random }: PollTicketDeps) =>
  async ({ saleId, ticket, customerId }: { saleId: string; ticket: string; customerId: string }): Promise<PollTicketResult> => {
    const sale = await findSale(saleId);
    if (!sale) return { ok: false, code: 'FLASH_SALE_NOT_FOUND' };
    const { ticket: ticketKey, admission } = await keys();
    const position = verifyTicket(ticketKey, ticket, { saleId, customerId });
    if (position === null) return { ok: false, code: 'FLASH_SALE_TICKET_INVALID' };
    const now = clock();
    // no queue after the end: a ticket can only be stale then. A ticket proves the sale was live when
    // it was issued, so a cached record that still says `scheduled` is only older than the go-live
    if (sale.status === 'ended' || now >= sale.endsAt) return { ok: false, code: 'FLASH_SALE_TICKET_EXPIRED' };

    const counts = await snapshot(saleId);
    if (!counts) return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
    if (counts.available === 0 && counts.held === 0) return { ok: true, state: 'sold_out', position, retryAfterMs: soldOutRetryMs };
    if (position <= counts.frontier) {
      const admissionToken = signAdmissionToken(admission, { saleId, customerId, now, ttlMs: sale.admissionTtlMs });
      return { ok: true, state: 'admitted', position, retryAfterMs: DEFAULT_POLL_MIN_MS, admissionToken, admissionExpiresAt: new Date(now.getTime() + sale.admissionTtlMs) };
    }
    const wait = retryAfterMs({
      distance: position - counts.frontier,
      // a ticket issued after the cached snapshot was read is past its queue length: it waits all the same
      waiting: Math.max(counts.queueLength, position) - counts.frontier,
      budgetPerSecond: pollBudgetPerSecond,
      ...(random ? { random } : {}),
    });
    return { ok: true, state: 'waiting', position, retryAfterMs: wait };
  };
