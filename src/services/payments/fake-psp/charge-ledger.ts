import { randomBytes } from 'node:crypto';
import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import type { LedgerFile } from './ledger-file.js';

/** What the fake PSP answers: an HTTP status and a JSON body, stored per idempotency key and replayed as is. */
export interface PspAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface ChargeRequest {
  amount: number;
  currency: string;
  token: string;
}

interface StoredCharge {
  id: string;
  amount: number;
  currency: string;
  status: 'captured' | 'declined' | 'refunded';
  reason?: string;
  idempotencyKey: string;
  refundId?: string;
  createdAt: string;
}

/** tok_flaky answers 503 issuer_unavailable this many times per idempotency key before it captures. */
const FLAKY_FAILURES = 2;

/** where the ledger draws its ids from; tests pass a fixed sequence */
export type RandomBytes = (size: number) => Buffer;

/**
 * A new PSP id (`ch_…`, `re_…`). About one hex id in a thousand holds a 13–19 digit run that passes
 * Luhn, and the card-data guard (this PSP's own, on a refund's `chargeId`; every log redactor) rightly
 * takes that for a card number: such a charge could never be refunded, and its cancelled order's
 * refund failed until its event was parked. An id that reads as card data is drawn again.
 */
export function newPspId(prefix: string, random: RandomBytes = randomBytes): string {
  for (;;) {
    const id = `${prefix}_${random(12).toString('hex')}`;
    if (!containsCardNumber(id)) return id;
  }
}

const fingerprintOf = (request: ChargeRequest) => JSON.stringify([request.amount, request.currency, request.token]);

const problem = (statusCode: number, code: string, message: string): PspAnswer => ({
  statusCode,
  body: { error: { code, message } },
});

/**
 * The fake PSP's memory. Every decision for a key is taken synchronously, before the first await,
 * so concurrent requests with one key share one answer (Node runs one handler at a time between
 * awaits): that is what lets a test prove "never a second capture".
 */
export function createChargeLedger({ slowMs, file, random = randomBytes }: { slowMs: number; file?: LedgerFile; random?: RandomBytes }) {
  const charges = new Map<string, StoredCharge>();
  const chargesByKey = new Map<string, { fingerprint: string; answer?: Promise<PspAnswer> }>();
  const refundsByKey = new Map<string, { chargeId: string; answer: PspAnswer }>();
  const flakyFailures = new Map<string, number>();
  const stats = { captures: 0, declines: 0, refunds: 0, capturesByKey: {} as Record<string, number> };

  const view = (c: StoredCharge) => ({
    id: c.id,
    object: 'charge',
    amount: c.amount,
    currency: c.currency,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.refundId ? { refundId: c.refundId } : {}),
    createdAt: c.createdAt,
  });

  const settle = (key: string, request: ChargeRequest, status: 'captured' | 'declined'): PspAnswer => {
    const charge: StoredCharge = {
      id: newPspId('ch', random),
      amount: request.amount,
      currency: request.currency,
      status,
      idempotencyKey: key,
      createdAt: new Date().toISOString(),
      ...(status === 'declined' ? { reason: 'card_declined' } : {}),
    };
    file?.append({ t: 'charge', key, fingerprint: fingerprintOf(request), charge: { id: charge.id, amount: charge.amount, currency: charge.currency, status, ...(charge.reason ? { reason: charge.reason } : {}), createdAt: charge.createdAt } });
    return record(charge);
  };

  /** the charge in memory and in the counters; its answer (201 captured, 402 declined) */
  const record = (charge: StoredCharge): PspAnswer => {
    charges.set(charge.id, charge);
    if (charge.status === 'declined') {
      stats.declines++;
      return { statusCode: 402, body: view(charge) };
    }
    stats.captures++;
    stats.capturesByKey[charge.idempotencyKey] = (stats.capturesByKey[charge.idempotencyKey] ?? 0) + 1;
    return { statusCode: 201, body: view(charge) };
  };

  const refundAnswer = (charge: StoredCharge, refundId: string): PspAnswer => ({
    statusCode: 201,
    body: { id: refundId, object: 'refund', status: 'refunded', chargeId: charge.id, amount: charge.amount, currency: charge.currency },
  });

  // a restarted PSP answers every key it decided before as it did then
  for (const r of file?.records ?? []) {
    if (r.t === 'charge') {
      const answer = record({ ...r.charge, idempotencyKey: r.key });
      chargesByKey.set(r.key, { fingerprint: r.fingerprint, answer: Promise.resolve(answer) });
    } else {
      const charge = charges.get(r.chargeId);
      if (!charge) continue;
      charge.status = 'refunded';
      charge.refundId = r.refundId;
      stats.refunds++;
      refundsByKey.set(r.key, { chargeId: r.chargeId, answer: refundAnswer(charge, r.refundId) });
    }
  }

  const decide = (key: string, request: ChargeRequest): Promise<PspAnswer> => {
    switch (request.token) {
      case 'tok_visa':
      case 'tok_flaky':
        return Promise.resolve(settle(key, request, 'captured'));
      case 'tok_declined':
        return Promise.resolve(settle(key, request, 'declined'));
      case 'tok_slow':
        return new Promise((resolve) => setTimeout(() => resolve(settle(key, request, 'captured')), slowMs));
      default:
        // like a real PSP asked about a token it never issued
        return Promise.resolve(problem(400, 'invalid_token', `No such token: ${request.token.slice(0, 60)}`));
    }
  };

  return {
    charge(key: string, request: ChargeRequest): Promise<PspAnswer> {
      const fingerprint = fingerprintOf(request);
      const entry = chargesByKey.get(key) ?? { fingerprint };
      chargesByKey.set(key, entry);
      if (entry.fingerprint !== fingerprint) {
        return Promise.resolve(problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with different parameters'));
      }
      if (entry.answer) return entry.answer;
      if (request.token === 'tok_flaky') {
        const failures = flakyFailures.get(key) ?? 0;
        if (failures < FLAKY_FAILURES) {
          flakyFailures.set(key, failures + 1);
          // a charge-level answer, like a real PSP's when the card's issuer does not respond: this
          // charge failed, the PSP is fine (its /healthz says so), retry with the same key
          return Promise.resolve(problem(503, 'issuer_unavailable', "The card's issuer did not answer; retry this charge with the same Idempotency-Key"));
        }
      }
      entry.answer = decide(key, request);
      return entry.answer;
    },

    refund(key: string, chargeId: string): PspAnswer {
      const previous = refundsByKey.get(key);
      if (previous) {
        return previous.chargeId === chargeId
          ? previous.answer
          : problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with different parameters');
      }
      const charge = charges.get(chargeId);
      if (!charge) return problem(404, 'charge_not_found', `No such charge: ${chargeId.slice(0, 60)}`);
      if (charge.status === 'refunded') {
        return { statusCode: 409, body: { error: { code: 'charge_already_refunded', message: 'This charge was already refunded' }, refundId: charge.refundId } };
      }
      if (charge.status !== 'captured') return problem(409, 'charge_not_refundable', 'Only captured charges can be refunded');
      const refundId = newPspId('re', random);
      file?.append({ t: 'refund', key, chargeId, refundId });
      charge.status = 'refunded';
      charge.refundId = refundId;
      stats.refunds++;
      const answer = refundAnswer(charge, refundId);
      refundsByKey.set(key, { chargeId, answer });
      return answer;
    },

    get(chargeId: string): PspAnswer {
      const charge = charges.get(chargeId);
      return charge ? { statusCode: 200, body: view(charge) } : problem(404, 'charge_not_found', `No such charge: ${chargeId.slice(0, 60)}`);
    },

    stats: () => structuredClone(stats),
  };
}

export type ChargeLedger = ReturnType<typeof createChargeLedger>;
