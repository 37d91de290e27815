import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import type { DomainEvent } from '../../platform/bus/event-bus.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import type { Database } from '../../platform/db/database.js';
import { createMetrics, type Metrics } from '../../platform/telemetry/metrics.js';
import type { ServiceModule } from '../../platform/service.js';
import { OrderEvents, type OrderPlaced } from '../orders/contract/events.js';
import { PaymentEvents } from './contract/events.js';
import type { PaymentsClient } from './contract/payments-client.js';
import { createPaymentsService, type PaymentProvider, type PaymentsServiceDeps, type PaymentsWorker } from './index.js';

export const silent = pino({ level: 'silent' });
export const usd = (amount: number) => ({ amount, currency: 'USD' });

export interface PaymentsRig {
  service: ServiceModule<PaymentsClient>;
  client: PaymentsClient;
  worker: PaymentsWorker;
  metrics: Metrics;
  /** payment events the relay published, in order */
  published: DomainEvent[];
  /** delivers order.placed as the orders relay would; resolves when the subscriber is done */
  place(orderId: string, paymentToken: string, amount?: number): Promise<void>;
  row(orderId: string): Promise<{ status: string; attempts: number; psp_reference: string | null; decline_reason: string | null } | undefined>;
  outboxTypes(orderId: string): Promise<string[]>;
  outcomeCount(outcome: string): Promise<number>;
  /** stops the workers (the worker waits for its in-flight charges) */
  stop(): Promise<void>;
}

/** The payments service on a given database and provider, with its own bus and metrics. */
export function createPaymentsRig(db: Database, provider: PaymentProvider, options: Partial<PaymentsServiceDeps> = {}): PaymentsRig {
  const bus = createInProcessEventBus();
  const metrics = createMetrics(`payments-test-${uuidv7()}`);
  const service = createPaymentsService({ db, bus, logger: silent, metrics, envelope: createTestEnvelope(), provider, ...options });
  const worker = service.workers?.find((w): w is PaymentsWorker => w.name === 'payments-charge-worker');
  if (!worker) throw new Error('no payments worker');
  const published: DomainEvent[] = [];
  for (const type of Object.values(PaymentEvents)) bus.subscribe(type, 'test-recorder', async (e) => void published.push(e));

  return {
    service,
    client: service.client,
    worker,
    metrics,
    published,
    place: (orderId, paymentToken, amount = 2500) =>
      bus.publish({
        id: uuidv7(),
        type: OrderEvents.placed,
        occurredAt: new Date().toISOString(),
        payload: { orderId, customerId: uuidv7(), total: usd(amount), paymentToken, reservationId: uuidv7() },
      } satisfies DomainEvent<OrderPlaced>),
    row: async (orderId) =>
      (await sql<{ status: string; attempts: number; psp_reference: string | null; decline_reason: string | null }>`
        select status, attempts, psp_reference, decline_reason from payments.payments where order_id = ${orderId}`.execute(db.kysely)).rows[0],
    outboxTypes: async (orderId) =>
      (await sql<{ type: string }>`select type from payments.outbox where payload->>'orderId' = ${orderId} order by id`.execute(db.kysely)).rows.map((r) => r.type),
    outcomeCount: async (outcome) =>
      (await metrics.registry.getSingleMetric('floodgate_payments_total')?.get())?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0,
    stop: async () => {
      for (const w of service.workers ?? []) if (w.name !== 'payment-provider') await w.stop();
    },
  };
}
