import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../platform/bus/event-bus.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import { createPgliteDatabase, type Database } from '../../platform/db/database.js';
import { migrateAll } from '../../platform/db/migrate.js';
import type { OutboxRelay } from '../../platform/bus/outbox.js';
import { createMetrics, type Metrics } from '../../platform/telemetry/metrics.js';
import { OrderEvents, type OrderPlaced } from '../orders/contract/events.js';
import { PaymentEvents } from './contract/events.js';
import type { PaymentsClient } from './contract/payments-client.js';
import { startFakePsp, type RunningFakePsp } from './fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider, createPaymentsService, paymentsMigrations, type PaymentProvider } from './index.js';
import { TransientPaymentError } from './providers/payment-provider.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';

const logger = pino({ level: 'silent' });
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('payments service', () => {
  let db: Database;
  let psp: RunningFakePsp;
  let provider: PaymentProvider;
  let metrics: Metrics;
  let payments: PaymentsClient;
  let relay: OutboxRelay;
  const bus = createInProcessEventBus();
  const published: DomainEvent[] = [];

  beforeAll(async () => {
    db = await createPgliteDatabase(undefined);
    await migrateAll(db, [paymentsMigrations]);
    psp = await startFakePsp({ logger, slowMs: 200 });
    provider = createFakePspPaymentProvider({ baseUrl: psp.url, backoff: { initialDelayMs: 5, maxDelayMs: 20 } });
    metrics = createMetrics('payments-test');
    const service = createPaymentsService({ db, bus, logger, metrics, envelope: createTestEnvelope(), provider });
    payments = service.client;
    relay = service.workers?.[0] as OutboxRelay;
    for (const type of Object.values(PaymentEvents)) bus.subscribe(type, 'test-recorder', async (e) => void published.push(e));
  });
  afterAll(async () => {
    await provider?.close();
    await psp?.close();
    await db?.close();
  });

  const charge = (orderId: string, paymentToken = 'tok_visa', amount = 2500) =>
    payments.charge({ orderId, amount: usd(amount), paymentToken, idempotencyKey: `order:${orderId}` });
  const row = async (orderId: string) =>
    (await sql<{ status: string; attempts: number; psp_reference: string | null }>`select status, attempts, psp_reference from payments.payments where order_id = ${orderId}`.execute(db.kysely)).rows[0];
  const outboxTypes = async (orderId: string) =>
    (await sql<{ type: string }>`select type from payments.outbox where payload->>'orderId' = ${orderId} order by id`.execute(db.kysely)).rows.map((r) => r.type);
  const outcomeCount = async (outcome: string) =>
    (await metrics.registry.getSingleMetric('floodgate_payments_total')?.get())?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  it('when an order is charged with tok_visa, then the payment is captured, the event is in the outbox and the outcome counted', async () => {
    const orderId = uuidv7();
    const before = await outcomeCount('captured');
    const result = await charge(orderId);
    expect(result).toEqual({ status: 'captured', paymentId: expect.any(String), pspReference: expect.stringMatching(/^ch_/) });
    expect(await row(orderId)).toMatchObject({ status: 'captured', attempts: 1, psp_reference: result.status === 'captured' ? result.pspReference : '' });
    expect(await outboxTypes(orderId)).toEqual(['payment.captured']);
    expect(await outcomeCount('captured')).toBe(before + 1);
  });

  it('when an order is charged again, then the recorded result is answered without calling the PSP', async () => {
    const orderId = uuidv7();
    const first = await charge(orderId);
    const capturesBefore = (await psp.stats()).captures;
    expect(await charge(orderId)).toEqual(first);
    expect((await row(orderId))?.attempts).toBe(1);
    expect((await psp.stats()).captures).toBe(capturesBefore);
    expect(await outboxTypes(orderId)).toEqual(['payment.captured']);
  });

  it('when 10 deliveries charge one slow order at once, then the PSP captures once and one event is written', async () => {
    const orderId = uuidv7();
    const results = await Promise.all(Array.from({ length: 10 }, () => charge(orderId, 'tok_slow')));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
    expect(await outboxTypes(orderId)).toEqual(['payment.captured']);
  });

  it('when the card is declined, then the payment is declined with its reason and payment.failed is written', async () => {
    const orderId = uuidv7();
    expect(await charge(orderId, 'tok_declined')).toEqual({ status: 'declined', paymentId: expect.any(String), reason: 'card_declined' });
    expect(await charge(orderId, 'tok_declined')).toMatchObject({ status: 'declined' });
    expect(await row(orderId)).toMatchObject({ status: 'declined', attempts: 1 });
    expect(await outboxTypes(orderId)).toEqual(['payment.failed']);
  });

  it('when the PSP is down, then charge throws a transient error and the payment stays pending for the retry', async () => {
    const down = createFakePspPaymentProvider({ baseUrl: 'http://127.0.0.1:9', attempts: 1 });
    const service = createPaymentsService({ db, bus: createInProcessEventBus(), logger, metrics: createMetrics('payments-down'), envelope: createTestEnvelope(), provider: down });
    const orderId = uuidv7();
    try {
      await expect(service.client.charge({ orderId, amount: usd(100), paymentToken: 'tok_visa', idempotencyKey: `order:${orderId}` })).rejects.toBeInstanceOf(TransientPaymentError);
      expect(await row(orderId)).toMatchObject({ status: 'pending', attempts: 1 });
      // the retry (a redelivered event) goes through the healthy provider and captures
      expect((await charge(orderId, 'tok_visa', 100)).status).toBe('captured');
    } finally {
      await down.close();
    }
  });

  it('when a captured order is refunded twice, then the PSP refunds once and payment.refunded is written once', async () => {
    const orderId = uuidv7();
    await charge(orderId);
    const refundsBefore = (await psp.stats()).refunds;
    const first = await payments.refund({ orderId, reason: 'order_cancelled' });
    expect(first).toEqual({ status: 'refunded', paymentId: expect.any(String) });
    expect(await payments.refund({ orderId, reason: 'order_cancelled' })).toEqual(first);
    expect((await psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await outboxTypes(orderId)).toEqual(['payment.captured', 'payment.refunded']);
    // a refunded payment still answers its capture to a late charge delivery, without a new capture
    expect((await charge(orderId)).status).toBe('captured');
  });

  it('when an order without a capture is refunded, then nothing_to_refund', async () => {
    expect(await payments.refund({ orderId: uuidv7(), reason: 'x' })).toEqual({ status: 'nothing_to_refund' });
    const declined = uuidv7();
    await charge(declined, 'tok_declined');
    expect(await payments.refund({ orderId: declined, reason: 'x' })).toMatchObject({ status: 'nothing_to_refund' });
  });

  it('when order.placed is published, then the order is charged with key order:<id> and the relay publishes payment.captured', async () => {
    const orderId = uuidv7();
    const placed: DomainEvent<OrderPlaced> = {
      id: uuidv7(),
      type: OrderEvents.placed,
      occurredAt: new Date().toISOString(),
      payload: { orderId, customerId: uuidv7(), total: usd(990), paymentToken: 'tok_flaky', reservationId: uuidv7() },
    };
    await bus.publish(placed);
    await bus.publish(placed); // redelivered
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
    await relay.drainOnce();
    const mine = published.filter((e) => (e.payload as { orderId: string }).orderId === orderId);
    expect(mine.map((e) => e.type)).toEqual(['payment.captured']);
    expect(mine[0]?.payload).toMatchObject({ orderId, amount: usd(990) });
  });

  it('when order.placed meets a PSP that stays down, then publishing fails so the orders outbox redelivers it', async () => {
    const down = createFakePspPaymentProvider({ baseUrl: 'http://127.0.0.1:9', attempts: 2, backoff: { initialDelayMs: 1, maxDelayMs: 2 } });
    const downBus = createInProcessEventBus();
    createPaymentsService({ db, bus: downBus, logger, metrics: createMetrics('payments-down-bus'), envelope: createTestEnvelope(), provider: down });
    const orderId = uuidv7();
    try {
      await expect(downBus.publish({
        id: uuidv7(),
        type: OrderEvents.placed,
        occurredAt: new Date().toISOString(),
        payload: { orderId, customerId: uuidv7(), total: usd(5), paymentToken: 'tok_visa', reservationId: uuidv7() },
      })).rejects.toThrow(/payments.charge-placed-order/);
      expect(await row(orderId)).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      await down.close();
    }
  });
});
