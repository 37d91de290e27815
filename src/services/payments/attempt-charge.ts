import type { Logger } from 'pino';
import { isTransientFailure } from '../../platform/resilience/transient-failure.js';
import type { AggregatedFailureLog } from '../../platform/telemetry/failure-log.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { PaymentEvents, type PaymentCaptured, type PaymentFailed } from './contract/events.js';
import { TransientPaymentError, type PaymentProvider, type ProviderChargeOutcome } from './providers/payment-provider.js';
import { retryDelayMs, type RetrySchedule } from './retry-schedule.js';
import type { Payment, PaymentStore } from './storage/payment-store.js';

export type PaymentOutcome = 'captured' | 'declined' | 'refunded' | 'transient_error';

/** What one attempt did with a claimed payment. */
export type AttemptResult = 'captured' | 'declined' | 'retry' | 'deferred' | 'settled_elsewhere';

/** The part of inventory payments uses: keeping the order's hold alive while it may still capture. */
export type HoldKeeper = Pick<InventoryClient, 'extendReservation'>;

export interface AttemptChargeDeps {
  store: PaymentStore;
  provider: PaymentProvider;
  holds: HoldKeeper | undefined;
  clock: () => Date;
  retry: RetrySchedule;
  /** how long a claim lasts; the hold is kept at least this much past the next attempt */
  leaseMs: number;
  /** the slack the hold keeps beyond the next moment a worker will touch the payment */
  holdMarginMs: number;
  logger: Logger;
  /**
   * transient PSP failures, keyed by their scope: an outage fails every charge, hundreds a minute, so it
   * gets one line when it starts, a summary per interval and one line when the PSP answers again
   */
  failures: AggregatedFailureLog;
  onEventsWritten: () => void;
  recordOutcome: (outcome: PaymentOutcome) => void;
}

const FRESH_PAYMENT_MS = 60_000;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * One attempt at a payment the worker has leased. The PSP sees the stored idempotency key every
 * time, so attempts after a crash or a timeout return the charge already made. The retry state is
 * the row: a failed attempt writes when to try again and releases the lease; nothing sleeps here.
 *
 * Holds vs payments: before every attempt, and whenever the payment is put back to wait, the
 * order's stock hold is extended past the moment a worker will next look at the payment. A hold
 * therefore only runs out when no worker can touch the payment for the whole margin.
 */
export function makeAttemptCharge(deps: AttemptChargeDeps) {
  const { store, provider, holds, clock, retry, leaseMs, holdMarginMs, logger, failures, onEventsWritten, recordOutcome } = deps;

  const keepHold = async (payment: Payment, nextTouch: Date) => {
    if (!holds || !payment.reservationId) return;
    const until = new Date(nextTouch.getTime() + leaseMs + holdMarginMs);
    try {
      const kept = await holds.extendReservation(payment.reservationId, until);
      if (!kept.ok) logger.debug({ orderId: payment.orderId, code: kept.code }, 'order hold not extended; it is no longer held');
    } catch (err) {
      // the charge goes on: the margin covers a missed extension or two
      logger.warn({ orderId: payment.orderId, error: message(err) }, 'could not extend the order hold; will try again at the next attempt');
    }
  };

  const later = async (payment: Payment, at: Date, error?: string): Promise<AttemptResult> => {
    await keepHold(payment, at);
    await store.reschedule(payment.id, { at, ...(error === undefined ? {} : { error }) });
    return 'retry';
  };

  const settle = async (payment: Payment, outcome: ProviderChargeOutcome): Promise<AttemptResult> => {
    const settled =
      outcome.status === 'captured'
        ? await store.settle(payment.id, { status: 'captured', pspReference: outcome.reference }, {
            type: PaymentEvents.captured,
            payload: { orderId: payment.orderId, paymentId: payment.id, amount: payment.amount } satisfies PaymentCaptured,
          })
        : await store.settle(payment.id, { status: 'declined', reason: outcome.reason }, {
            type: PaymentEvents.failed,
            payload: { orderId: payment.orderId, paymentId: payment.id, reason: outcome.reason } satisfies PaymentFailed,
          });
    // null: another worker whose lease we outlived recorded the same PSP answer first
    if (!settled) return 'settled_elsewhere';
    onEventsWritten();
    recordOutcome(outcome.status);
    return outcome.status;
  };

  return async (payment: Payment): Promise<AttemptResult> => {
    if (!payment.paymentToken) {
      // opened before the worker existed; the redelivered order.placed brings the token
      return later(payment, new Date(clock().getTime() + retry.capMs), 'waiting for the payment token');
    }
    const gate = await provider.availability();
    if (!gate.available) {
      // the PSP is down for everyone: wait for the circuit's trial without spending an attempt
      await keepHold(payment, gate.retryAt);
      await store.reschedule(payment.id, { at: gate.retryAt });
      return 'deferred';
    }

    // a first attempt within a minute of the order is well inside any hold (they last minutes):
    // the healthy path spends no extra statement on it
    if (payment.attempts > 0 || clock().getTime() - payment.createdAt.getTime() >= FRESH_PAYMENT_MS) await keepHold(payment, clock());
    await store.countAttempt(payment.id);
    const attempts = payment.attempts + 1;
    let outcome: ProviderChargeOutcome;
    try {
      outcome = await provider.charge({
        amount: payment.amount.amount,
        currency: payment.amount.currency,
        token: payment.paymentToken,
        idempotencyKey: payment.idempotencyKey,
      });
      // any answer (a decline too) means the provider is back; charge-scope failures have no such
      // moment (each is one payment's own trouble), so their window just closes after a quiet interval
      failures.success('provider');
    } catch (err) {
      if (!(err instanceof TransientPaymentError)) {
        // the PSP refused the request itself: a bug to fix, retried slowly so no order is dropped
        logger.error({ err, orderId: payment.orderId }, 'payment provider refused the charge; retrying at the longest interval');
        return later(payment, new Date(clock().getTime() + retry.capMs), message(err));
      }
      recordOutcome('transient_error');
      if (err.scope === 'charge' && attempts >= retry.maxChargeAttempts) {
        logger.warn({ orderId: payment.orderId, attempts }, 'payment failed at the PSP on every attempt; declining it');
        return settle(payment, { status: 'declined', reason: 'processor_unavailable' });
      }
      const at = err.retryAt ?? new Date(clock().getTime() + retryDelayMs(attempts, retry));
      failures.failure(err.scope, err, { orderId: payment.orderId, attempts, retryAt: at.toISOString() });
      return later(payment, at, message(err));
    }
    try {
      return await settle(payment, outcome);
    } catch (err) {
      // Recording the PSP's answer failed, not the PSP: e.g. the database connection was cut mid-write.
      // This used to fall into the PSP's catch above and wait the longest interval (60 s) as "the PSP
      // refused the charge". The PSP replays the same answer under the same key, so a transient database
      // failure is retried on the normal schedule; anything else (or a reschedule that fails too) is
      // thrown, and the claim's lease brings the payment back.
      if (!isTransientFailure(err)) throw err;
      logger.warn({ orderId: payment.orderId, attempts, error: message(err) }, 'could not record the charge outcome; charging again under the same key');
      return later(payment, new Date(clock().getTime() + retryDelayMs(attempts, retry)), message(err));
    }
  };
}

export type AttemptCharge = ReturnType<typeof makeAttemptCharge>;
