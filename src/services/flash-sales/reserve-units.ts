import { createIdGenerator } from '../../platform/ids.js';
import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Principal } from '../../platform/auth/principal.js';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import { createAdmissionVerifier } from './admission-tokens.js';
import type { SaleKeys } from './sale-keys.js';
import { refusalOfClosedSale, type ClosedSaleRefusal } from './sale-gates.js';
import { holdKeyOf, type SaleReservationRecord, type SaleReservationStore } from './storage/sale-reservation-store.js';
import type { SaleRecord } from './storage/sale-store.js';

export interface ReserveUnitsInput {
  saleId: string;
  principal: Principal;
  admissionToken: string | undefined;
  idempotencyKey: string;
  quantity: number;
}

export type ReserveUnitsResult =
  | { ok: true; reservationId: string; expiresAt: Date; replayed: boolean }
  | ClosedSaleRefusal
  | { ok: false; code: 'FLASH_SALE_GUESTS_EXCLUDED' | 'FLASH_SALE_NOT_ADMITTED' | 'FLASH_SALE_ADMISSION_EXPIRED' | 'FLASH_SALE_PAUSED' | 'FLASH_SALE_UNAVAILABLE' | 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS' }
  | { ok: false; code: 'FLASH_SALE_QUANTITY_ABOVE_LIMIT' | 'FLASH_SALE_LIMIT_REACHED'; limit: number };

export interface ReserveUnitsDeps {
  sale: (id: string) => Promise<SaleRecord | null>;
  counters: CounterStore;
  reservations: SaleReservationStore;
  keys: () => Promise<SaleKeys>;
  clock: () => Date;
  logger: Logger;
}

/** what "the same request" means for a reservation's Idempotency-Key */
export const reservationRequestHash = (quantity: number) => hash('sha256', JSON.stringify({ quantity }), 'hex');

/** well past a request's deadline (connect + query, 10 s by default): a hold this old without its row was given back */
const FAILED_ATTEMPT_AFTER_MS = 30_000;

const holdIds = createIdGenerator();

/** the creation time a uuidv7 carries in its first 48 bits */
const uuidv7Millis = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

const answered = (r: SaleReservationRecord, replayed: boolean): ReserveUnitsResult => ({ ok: true, reservationId: r.id, expiresAt: r.expiresAt, replayed });

/**
 * Reserves units of a live sale for an admitted customer (FLASH.md "reserve"): the counter store
 * takes first — limit, stock, hold and idempotency in one atomic step, so sold-out and over-limit
 * answers never reach PostgreSQL — then the reservation row is committed before the 201. A failed
 * row write gives the hold back and answers 503: no unit is held that PostgreSQL does not know.
 */
export const makeReserveUnits = ({ sale: findSale, counters, reservations, keys, clock, logger }: ReserveUnitsDeps) => {
  const verifyAdmissionToken = createAdmissionVerifier();
  return async ({ saleId, principal, admissionToken, idempotencyKey, quantity }: ReserveUnitsInput): Promise<ReserveUnitsResult> => {
    const now = clock();
    const sale = await findSale(saleId);
    if (!sale) return { ok: false, code: 'FLASH_SALE_NOT_FOUND', saleId };
    const { customerId } = principal;
    if (principal.role === 'guest' && !sale.allowGuests) return { ok: false, code: 'FLASH_SALE_GUESTS_EXCLUDED' };
    if (!admissionToken || !verifyAdmissionToken((await keys()).admission, admissionToken, { saleId, customerId, now })) {
      return { ok: false, code: 'FLASH_SALE_NOT_ADMITTED' };
    }
    const closed = refusalOfClosedSale(sale, saleId, now, { soldOut: false });
    if (closed) return closed;
    if (sale.paused) return { ok: false, code: 'FLASH_SALE_PAUSED' };
    if (quantity > sale.perCustomerLimit) return { ok: false, code: 'FLASH_SALE_QUANTITY_ABOVE_LIMIT', limit: sale.perCustomerLimit };
    // No sold-out shortcut from the cached snapshot before this call (considered and refused, BENCHMARKS.md
    // 2026-11-29 spike path): the script answers a replayed Idempotency-Key with its reservation and a
    // customer at the limit with LIMIT_REACHED even after the sell-out, which a cached "sold out" cannot know.

    // the id carries the use case's clock, which is what tells a failed first attempt below
    const holdId = holdIds.generateOrResetWithTs(now.getTime()).toString();
    const expiresAt = new Date(now.getTime() + sale.reservationLeaseMs);
    const baseKey = holdKeyOf(customerId, idempotencyKey);
    let key = baseKey;
    let taken;
    for (let attempt = 0; ; attempt++) {
      // the take spends the admission in the same atomic step: one that lapsed (and reopened admission) cannot reserve
      const admission = { nowMs: now.getTime(), ttlMs: sale.admissionTtlMs };
      taken = await counters.take(saleId, { member: customerId, quantity, limit: sale.perCustomerLimit, key, holdId, expiresAtMs: expiresAt.getTime(), admission });
      if (!taken.ok || !taken.replayed) break;
      // the first request's row answers; missing, that request is still writing it, or it failed and gave its hold back
      const first = await reservations.find(taken.holdId);
      if (first) return answered(first, true);
      // long past any request's deadline, the first attempt failed for sure: this retry takes afresh, under a
      // key derived from the failed hold, so concurrent retries still agree on one hold
      if (attempt >= 2 || now.getTime() - uuidv7Millis(taken.holdId) < FAILED_ATTEMPT_AFTER_MS) return { ok: false, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' };
      key = `${baseKey}#${taken.holdId}`;
    }
    if (!taken.ok) {
      switch (taken.code) {
        case 'NOT_LOADED':
          return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
        case 'SOLD_OUT':
          return { ok: false, code: 'FLASH_SALE_SOLD_OUT', saleId };
        case 'LIMIT_REACHED':
          return { ok: false, code: 'FLASH_SALE_LIMIT_REACHED', limit: sale.perCustomerLimit };
        case 'KEY_REUSED':
          return { ok: false, code: 'IDEMPOTENCY_KEY_REUSED' };
        case 'ADMISSION_EXPIRED':
          return { ok: false, code: 'FLASH_SALE_ADMISSION_EXPIRED' };
      }
    }

    const requestHash = reservationRequestHash(quantity);
    let outcome: 'inserted' | 'duplicate';
    try {
      outcome = await reservations.insert({ id: holdId, saleId, customerId, quantity, idempotencyKey, requestHash, expiresAt });
    } catch (err) {
      logger.warn({ err, saleId, reservationId: holdId }, 'reservation row not written; its hold is given back');
      await giveBack(holdId, true);
      return { ok: false, code: 'FLASH_SALE_UNAVAILABLE' };
    }
    if (outcome === 'inserted') return { ok: true, reservationId: holdId, expiresAt, replayed: false };

    // PostgreSQL already knows this key (the counters were rebuilt since, and forgot it): its row answers
    await giveBack(holdId, false);
    const first = await reservations.findByKey(saleId, customerId, idempotencyKey);
    if (!first) return { ok: false, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' };
    return first.requestHash === requestHash ? answered(first, true) : { ok: false, code: 'IDEMPOTENCY_KEY_REUSED' };

    async function giveBack(id: string, rowMayExist: boolean) {
      // a write that failed on a lost connection may still have committed: such a row must not stay held
      if (rowMayExist) await reservations.transition(id, { from: ['held'], to: 'released', at: clock() }).catch(() => null);
      await counters.release(saleId, id).catch((err: unknown) => logger.error({ err, saleId, reservationId: id }, 'hold not given back; the reconciler rebuilds the counters'));
    }
  };
};
