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

type PollInput = { saleId: string; ticket: string; customerId: string };
type PollSettings = Pick<PollTicketDeps, 'clock' | 'pollBudgetPerSecond' | 'soldOutRetryMs' | 'random'>;

/** the ticket's position, or why it cannot be polled; before any counter is read */
function checkTicket(sale: SaleRecord, keys: SaleKeys, { saleId, ticket, customerId }: PollInput, now: Date): number | Extract<PollTicketResult, { ok: false }> {
  const position = verifyTicket(keys.ticket, ticket, { saleId, customerId });
  if (position === null) return { ok: false, code: 'FLASH_SALE_TICKET_INVALID' };
  // no queue after the end: a ticket can only be stale then. A ticket proves the sale was live when
  // it was issued, so a cached record that still says `scheduled` is only older than the go-live
  if (sale.status === 'ended' || now >= sale.endsAt) return { ok: false, code: 'FLASH_SALE_TICKET_EXPIRED' };
  return position;
}

function answerFrom(sale: SaleRecord, keys: SaleKeys, position: number, counts: ScopeSnapshot | null, { saleId, customerId }: PollInput, now: Date, settings: PollSettings): PollTicketResult {
  const { pollBudgetPerSecond, soldOutRetryMs = DEFAULT_SOLD_OUT_RETRY_MS, random } = settings;
  if (!counts) return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
  if (counts.available === 0 && counts.held === 0) return { ok: true, state: 'sold_out', position, retryAfterMs: soldOutRetryMs };
  if (position <= counts.frontier) {
    const admissionToken = signAdmissionToken(keys.admission, { saleId, customerId, now, ttlMs: sale.admissionTtlMs });
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
}

/**
 * Answers a waiting customer from the cached frontier: no write anywhere, and at most one counter
 * read per sale per cache period in this process, however many poll. Admitted tickets get an
 * admission token; everyone waiting learns when to ask again (retryAfterMs, growing with the
 * distance to the frontier so the sale's total poll rate stays within its budget).
 */
export const makePollTicket =
  ({ sale: findSale, snapshot, keys, ...settings }: PollTicketDeps) =>
  async (input: PollInput): Promise<PollTicketResult> => {
    const sale = await findSale(input.saleId);
    if (!sale) return { ok: false, code: 'FLASH_SALE_NOT_FOUND' };
    const saleKeys = await keys();
    const now = settings.clock();
    const position = checkTicket(sale, saleKeys, input, now);
    if (typeof position !== 'number') return position;
    return answerFrom(sale, saleKeys, position, await snapshot(input.saleId), input, now, settings);
  };

export interface PeekPollDeps extends PollSettings {
  /** each undefined when this process holds no fresh copy: the poll is then answered by makePollTicket */
  sale: (id: string) => SaleRecord | null | undefined;
  snapshot: (saleId: string) => ScopeSnapshot | null | undefined;
  keys: () => SaleKeys | undefined;
}

/**
 * The same poll answered synchronously from what this process already holds (the HTTP fast lane), or
 * undefined when any piece is not in memory or the answer is a refusal: makePollTicket answers those, so
 * both give the same answer to the same poll.
 */
export const makePeekPollTicket =
  ({ sale: peekSale, snapshot, keys, ...settings }: PeekPollDeps) =>
  (input: PollInput): Extract<PollTicketResult, { ok: true }> | undefined => {
    const sale = peekSale(input.saleId);
    const saleKeys = keys();
    if (!sale || !saleKeys) return undefined;
    const now = settings.clock();
    const position = checkTicket(sale, saleKeys, input, now);
    if (typeof position !== 'number') return undefined;
    const counts = snapshot(input.saleId);
    if (!counts) return undefined;
    const result = answerFrom(sale, saleKeys, position, counts, input, now, settings);
    return result.ok ? result : undefined;
  };
