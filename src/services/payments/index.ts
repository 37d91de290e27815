import { fileURLToPath } from 'node:url';
import { createInbox, handleOnce } from '../../platform/bus/inbox.js';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import { createAggregatedFailureLog } from '../../platform/telemetry/failure-log.js';
import { OrderEvents, type OrderPlaced } from '../orders/contract/events.js';
import { makeAttemptCharge, type HoldKeeper } from './attempt-charge.js';
import type { PaymentsClient } from './contract/payments-client.js';
import { onOrderPlaced } from './events/on-order-placed.js';
import { registerPaymentsMetrics } from './payments-metrics.js';
import { createPaymentsWorker } from './payments-worker.js';
import { TransientPaymentError, type PaymentProvider } from './providers/payment-provider.js';
import { makeRecordPaymentIntent } from './record-payment-intent.js';
import { makeRefundPayment } from './refund-payment.js';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './retry-schedule.js';
import { createSqlPaymentStore, PAYMENTS_SCHEMA } from './storage/sql-payment-store.js';

export { createFakePspPaymentProvider } from './providers/fake-psp-payment-provider.js';
export type { PaymentProvider } from './providers/payment-provider.js';
export type { PaymentsWorker } from './payments-worker.js';

export const paymentsMigrations: MigrationSource = {
  schema: PAYMENTS_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  outbox: true,
  inbox: true,
};

export type PaymentsServiceDeps = ServiceDeps & {
  provider: PaymentProvider;
  /** inventory, to keep an order's stock hold alive while its payment may still capture */
  holds?: HoldKeeper;
  retry?: Partial<RetrySchedule>;
  worker?: { concurrency?: number; leaseMs?: number; holdMarginMs?: number; idleMs?: number };
  clock?: () => Date;
};

export function createPaymentsService(deps: PaymentsServiceDeps): ServiceModule<PaymentsClient> {
  const clock = deps.clock ?? (() => new Date());
  const store = createSqlPaymentStore(deps.db);
  // every commit here that enqueues pokes it (onEventsWritten), so its polls may back off where all writers share its process
  const relay = createOutboxRelay({ db: deps.db, schema: PAYMENTS_SCHEMA, bus: deps.bus, logger: deps.logger, maxIdleMs: deps.pokedQueueMaxIdleMs });
  const { recordOutcome } = registerPaymentsMetrics(deps.metrics, { store, circuitState: () => deps.provider.circuitState(), clock });
  const onEventsWritten = () => relay.poke();
  // three times the provider's 5 s deadline: a crashed worker's payments are picked up again within 15 s
  const leaseMs = deps.worker?.leaseMs ?? 15_000;
  const holdMarginMs = deps.worker?.holdMarginMs ?? 5 * 60_000;

  // a TransientPaymentError is an expected outage, never a stack; anything else reaching it is a bug
  const chargeFailures = createAggregatedFailureLog({ logger: deps.logger, dependency: 'psp', isTransient: (err) => err instanceof TransientPaymentError });
  const attempt = makeAttemptCharge({
    store,
    provider: deps.provider,
    holds: deps.holds,
    clock,
    retry: { ...DEFAULT_RETRY_SCHEDULE, ...deps.retry },
    leaseMs,
    holdMarginMs,
    logger: deps.logger,
    failures: chargeFailures,
    onEventsWritten,
    recordOutcome,
  });
  const worker = createPaymentsWorker({ store, attempt, provider: deps.provider, holds: deps.holds, clock, logger: deps.logger, ...deps.worker, leaseMs, holdMarginMs });
  const inbox = createInbox(deps.db, PAYMENTS_SCHEMA);
  const refundPayment = makeRefundPayment({ store, provider: deps.provider, onEventsWritten, recordOutcome });

  // the payment row and the inbox row commit together: a redelivered order.placed is applied once
  const recordPlacedOrder = handleOnce<OrderPlaced>(inbox, 'payments.record-placed-order', (event, tx) =>
    onOrderPlaced(makeRecordPaymentIntent({ store: createSqlPaymentStore(tx), onRecorded: () => {} }))(event));
  deps.bus.subscribe<OrderPlaced>(OrderEvents.placed, 'payments.record-placed-order', async (event) => {
    await recordPlacedOrder(event);
    worker.poke(); // after the commit, so an idle worker finds the payment at once
  });

  const client: PaymentsClient = {
    refund: refundPayment,
    async paymentStatus(orderId) {
      const payment = await store.findByOrder(orderId);
      const status = payment?.status ?? 'none';
      return { status, mayCapture: status === 'none' || status === 'pending' };
    },
  };

  return {
    name: 'payments',
    migrations: paymentsMigrations,
    client,
    // the provider's keep-alive pool closes after the worker's last charge
    workers: [relay, worker, { name: 'payment-provider', start() {}, stop: async () => { await worker.stop(); chargeFailures.close(); await deps.provider.close(); } }],
  };
}
