import type { Logger } from 'pino';
import { createClaimPipeline } from '../../platform/claim-pipeline.js';
import type { Worker } from '../../platform/service.js';
import { createAggregatedFailureLog } from '../../platform/telemetry/failure-log.js';
import type { AttemptCharge, HoldKeeper } from './attempt-charge.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { Payment, PaymentStore } from './storage/payment-store.js';

export interface PaymentsWorkerDeps {
  store: PaymentStore;
  attempt: AttemptCharge;
  provider: PaymentProvider;
  holds: HoldKeeper | undefined;
  clock: () => Date;
  logger: Logger;
  /** charges in flight at once, per process */
  concurrency?: number;
  /** a claim lasts this long: longer than the slowest charge, short enough to recover a dead worker's payments soon */
  leaseMs?: number;
  holdMarginMs?: number;
  /** how often an idle worker looks for payments that became due */
  idleMs?: number;
}

export interface PaymentsWorker extends Worker {
  /** a payment was recorded: look now instead of after the idle wait */
  poke(): void;
  /** tests: charges everything due, again and again until nothing is due; answers how many attempts ran */
  drainOnce(): Promise<number>;
  /** charges in flight in this process */
  inFlight(): number;
}

/** deferrals per statement while the circuit is open */
const DEFER_BATCH = 500;
const NAME = 'payments-charge-worker';
/** drainOnce stops after this many rounds, so a payment that keeps failing cannot spin a test */
const DRAIN_ROUNDS = 50;

/**
 * The payments pipeline (createClaimPipeline): up to `concurrency` charges in flight, and a new one starts
 * as soon as a slot frees (no batch waits for its slowest charge). Payments are claimed with a lease
 * (`for update skip locked`), so any number of workers in any number of processes share the work.
 * While the PSP's circuit is open, due payments are pushed to the circuit's next trial in bulk —
 * no attempt spent, holds kept alive — instead of being claimed one by one to fail fast.
 */
export function createPaymentsWorker({
  store,
  attempt,
  provider,
  holds,
  clock,
  logger,
  concurrency = 32,
  leaseMs = 15_000,
  holdMarginMs = 5 * 60_000,
  idleMs = 250,
}: PaymentsWorkerDeps): PaymentsWorker {
  const deferWhileOpen = async (): Promise<number | undefined> => {
    if (provider.circuitState() === 'closed') return undefined;
    const gate = await provider.availability();
    if (gate.available) return undefined;
    const deferred = await store.deferDue(clock(), gate.retryAt, DEFER_BATCH);
    for (const payment of deferred) {
      if (!holds || !payment.reservationId) continue;
      await holds.extendReservation(payment.reservationId, new Date(gate.retryAt.getTime() + leaseMs + holdMarginMs)).catch((err: unknown) =>
        logger.warn({ orderId: payment.orderId, error: (err as Error).message }, 'could not extend the hold of a deferred payment'));
    }
    return deferred.length;
  };

  /** due payments for the free slots; none while the circuit is open (they were deferred in bulk instead) */
  const claim = async (free: number): Promise<Payment[]> => {
    const deferred = await deferWhileOpen();
    if (deferred !== undefined) return [];
    return store.claimDue(clock(), free, leaseMs);
  };

  const failures = createAggregatedFailureLog({ logger, dependency: NAME });
  const pipeline = createClaimPipeline({
    name: NAME,
    concurrency,
    claim,
    run: async (payment: Payment) => {
      try {
        await attempt(payment);
      } catch (err) {
        // the lease runs out and another pass tries again; the row is never lost
        logger.error({ err, orderId: payment.orderId }, 'payment attempt failed; it is retried when its lease ends');
      }
    },
    logger,
    failures,
    idleMs,
  });

  return {
    name: NAME,
    start: () => pipeline.start(),
    async stop() {
      // charges already at the PSP finish and record their answer; nothing new starts
      await pipeline.stop();
      failures.close();
    },
    poke: () => pipeline.poke(),
    async drainOnce() {
      let total = 0;
      for (let round = 0; round < DRAIN_ROUNDS; round++) {
        const started = (await pipeline.drainOnce()).length;
        if (started === 0) break;
        total += started;
      }
      return total;
    },
    inFlight: () => pipeline.inFlight(),
  };
}
