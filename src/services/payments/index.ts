import { fileURLToPath } from 'node:url';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import { OrderEvents } from '../orders/contract/events.js';
import { makeChargePayment, type PaymentOutcome } from './charge-payment.js';
import type { PaymentsClient } from './contract/payments-client.js';
import { onOrderPlaced } from './events/on-order-placed.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import { makeRefundPayment } from './refund-payment.js';
import { createSqlPaymentStore, PAYMENTS_SCHEMA } from './storage/sql-payment-store.js';

export { createFakePspPaymentProvider } from './providers/fake-psp-payment-provider.js';
export type { PaymentProvider } from './providers/payment-provider.js';

export const paymentsMigrations: MigrationSource = {
  schema: PAYMENTS_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  outbox: true,
};

export type PaymentsServiceDeps = ServiceDeps & { provider: PaymentProvider };

export function createPaymentsService(deps: PaymentsServiceDeps): ServiceModule<PaymentsClient> {
  const store = createSqlPaymentStore(deps.db);
  const relay = createOutboxRelay({ db: deps.db, schema: PAYMENTS_SCHEMA, bus: deps.bus, logger: deps.logger });
  const outcomes = deps.metrics.counter('floodgate_payments_total', 'Payment outcomes: captured, declined, refunded, transient_error', ['outcome']);
  const useCaseDeps = {
    store,
    provider: deps.provider,
    onEventsWritten: () => relay.poke(),
    recordOutcome: (outcome: PaymentOutcome) => outcomes.inc({ outcome }),
  };
  const chargePayment = makeChargePayment(useCaseDeps);
  const refundPayment = makeRefundPayment(useCaseDeps);

  deps.bus.subscribe(OrderEvents.placed, 'payments.charge-placed-order', onOrderPlaced(chargePayment));

  return {
    name: 'payments',
    migrations: paymentsMigrations,
    client: { charge: chargePayment, refund: refundPayment },
    // the provider's keep-alive pool closes with the workers on shutdown
    workers: [relay, { name: 'payment-provider', start() {}, stop: () => deps.provider.close() }],
  };
}
