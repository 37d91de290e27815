import type { Logger } from 'pino';
import type { Worker } from '../../platform/service.js';
import type { AttemptCharge, HoldKeeper } from './attempt-charge.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { PaymentStore } from './storage/payment-store.js';

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
/** drainOnce stops after this many rounds, so a payment that keeps failing cannot spin a test */
const DRAIN_ROUNDS = 50;

/**
 * The payments pipeline: up to `concurrency` charges in flight, and a new one starts as soon as a
 * slot frees (no batch waits for its slowest charge). Payments are claimed with a lease
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
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let woken = false;

  const wakeUp = () => {
    woken = true;
    wake?.();
  };

  const launch = (payment: Parameters<AttemptCharge>[0]) => {
    const task: Promise<void> = attempt(payment)
      .then(() => undefined)
      .catch((err: unknown) => {
        // the lease runs out and another pass tries again; the row is never lost
        logger.error({ err, orderId: payment.orderId }, 'payment attempt failed; it is retried when its lease ends');
      })
      .finally(() => {
        inFlight.delete(task);
        wakeUp();
      });
    inFlight.add(task);
  };

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

  /** claims as many due payments as there are free slots and starts them; answers how many */
  const fill = async (): Promise<number> => {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const deferred = await deferWhileOpen();
    if (deferred !== undefined) return 0;
    const claimed = await store.claimDue(clock(), free, leaseMs);
    for (const payment of claimed) launch(payment);
    return claimed.length;
  };

  const run = async () => {
    while (running) {
      woken = false;
      let claimed = 0;
      try {
        claimed = await fill();
      } catch (err) {
        logger.error({ err }, 'could not claim due payments; trying again after the idle wait');
      }
      // more may be due: claim again while slots are free
      if (!running || woken || (claimed > 0 && inFlight.size < concurrency)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };

  return {
    name: 'payments-charge-worker',
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      // charges already at the PSP finish and record their answer; nothing new starts
      await Promise.all(inFlight);
    },
    poke: wakeUp,
    async drainOnce() {
      let total = 0;
      for (let round = 0; round < DRAIN_ROUNDS; round++) {
        const started = await fill();
        await Promise.all(inFlight);
        if (started === 0) break;
        total += started;
      }
      return total;
    },
    inFlight: () => inFlight.size,
  };
}
