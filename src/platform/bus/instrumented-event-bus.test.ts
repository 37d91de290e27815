import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../../test/telemetry/prom-text.js';
import { createPgliteDatabase } from '../db/database.js';
import { migrateAll } from '../db/migrate.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createInProcessEventBus } from './in-process-event-bus.js';
import { instrumentEventBus } from './instrumented-event-bus.js';
import { createOutboxRelay, enqueueEvent } from './outbox.js';
import { outboxBacklogsOf, registerOutboxBacklogGauge } from './outbox-backlog-gauge.js';

const event = (type: string) => ({ id: crypto.randomUUID(), type, occurredAt: new Date().toISOString(), payload: { paymentToken: 'tok_visa' } });

describe('instrumented event bus', () => {
  it('when events are published and one subscriber fails, then publishes, consumes and failures are counted by type and subscriber', async () => {
    const metrics = createMetrics('test');
    const bus = instrumentEventBus(createInProcessEventBus(), metrics);
    bus.subscribe('order.placed', 'payments', async () => {});
    bus.subscribe('order.placed', 'notifications', async (e) => {
      if ((e.payload as { fail?: boolean }).fail) throw new Error('smtp down');
    });
    await bus.publish(event('order.placed'));
    await bus.publish(event('order.placed'));
    await expect(bus.publish({ ...event('order.placed'), payload: { fail: true } })).rejects.toThrow('smtp down');

    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'floodgate_bus_published_total', { type: 'order.placed' })).toBe(2);
    expect(sampleValue(text, 'floodgate_bus_publish_errors_total', { type: 'order.placed' })).toBe(1);
    expect(sampleValue(text, 'floodgate_bus_consumed_total', { type: 'order.placed', subscriber: 'payments', result: 'ok' })).toBe(3);
    expect(sampleValue(text, 'floodgate_bus_consumed_total', { type: 'order.placed', subscriber: 'notifications', result: 'ok' })).toBe(2);
    expect(sampleValue(text, 'floodgate_bus_consumed_total', { type: 'order.placed', subscriber: 'notifications', result: 'error' })).toBe(1);
    expect(sampleValue(text, 'floodgate_bus_handler_duration_seconds_count', { type: 'order.placed', subscriber: 'payments' })).toBe(3);
  });

  it('when events wait in an outbox, then the backlog gauge counts them and drops to zero once the relay published them', async () => {
    const metrics = createMetrics('test');
    const db = await createPgliteDatabase(undefined, metrics);
    const migrations = await mkdtemp(join(tmpdir(), 'floodgate-outbox-'));
    try {
      await migrateAll(db, [{ schema: 'orders', directory: migrations, outbox: true }]);
      const bus = instrumentEventBus(createInProcessEventBus(), metrics);
      const relay = createOutboxRelay({ db, schema: 'orders', bus, logger: pino({ level: 'silent' }) });
      const unrelated = { name: 'reservation-expiry', start() {}, stop: async () => {} };
      registerOutboxBacklogGauge(metrics, outboxBacklogsOf([relay, unrelated]));
      for (let i = 0; i < 3; i++) await enqueueEvent(db.kysely, 'orders', 'order.placed', { orderId: `o${i}` });

      expect(sampleValue(await metrics.registry.metrics(), 'floodgate_outbox_backlog', { schema: 'orders' })).toBe(3);
      expect(await relay.drainOnce()).toBe(3);
      const text = await metrics.registry.metrics();
      expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'orders' })).toBe(0);
      expect(sampleValue(text, 'floodgate_bus_published_total', { type: 'order.placed' })).toBe(3);
    } finally {
      await db.close();
      await rm(migrations, { recursive: true, force: true });
    }
  });
});
