import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../../test/telemetry/prom-text.js';
import { registerCollectGauge } from './collect-gauge.js';
import { createMetrics } from './metrics.js';

describe('registerCollectGauge', () => {
  it('when the registry is scraped, then the gauge holds what its source answers at that moment', async () => {
    const metrics = createMetrics('test');
    let held = 3;
    registerCollectGauge(metrics, 'floodgate_inventory_reservations_held', 'Live reservations', async () => held);
    expect(sampleValue(await metrics.registry.metrics(), 'floodgate_inventory_reservations_held')).toBe(3);
    held = 7;
    expect(sampleValue(await metrics.registry.metrics(), 'floodgate_inventory_reservations_held')).toBe(7);
  });

  it('when several sources share a family with different labels, then each series is reported', async () => {
    const metrics = createMetrics('test');
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 4, { labels: { schema: 'orders' } });
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 0, { labels: { schema: 'payments' } });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'orders' })).toBe(4);
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'payments' })).toBe(0);
  });

  it('when one source fails and another hangs, then the scrape still answers, both series are dropped and the errors are counted', async () => {
    const metrics = createMetrics('test');
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', async () => { throw new Error('database down'); }, { labels: { schema: 'orders' } });
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => new Promise<number>(() => {}), { labels: { schema: 'payments' }, timeoutMs: 50 });
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 2, { labels: { schema: 'carts' } });
    const started = Date.now();
    const text = await metrics.registry.metrics();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'orders' })).toBeUndefined();
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'payments' })).toBeUndefined();
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'carts' })).toBe(2);
    // families are read concurrently within a scrape, so the errors show in the next one
    const next = await metrics.registry.metrics();
    expect(sampleValue(next, 'floodgate_metrics_collect_errors_total', { metric: 'floodgate_outbox_backlog' })).toBe(2);
  });

  it('when a family is registered again with other label names, then it throws at registration', () => {
    const metrics = createMetrics('test');
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 1, { labels: { schema: 'orders' } });
    expect(() => registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 1)).toThrow(/labels/);
  });

  it('when a metric helper is asked twice for the same family, then both callers record into one metric', async () => {
    const metrics = createMetrics('test');
    metrics.counter('floodgate_things_total', 'Things', ['kind']).inc({ kind: 'a' });
    metrics.counter('floodgate_things_total', 'Things', ['kind']).inc({ kind: 'a' });
    expect(sampleValue(await metrics.registry.metrics(), 'floodgate_things_total', { kind: 'a' })).toBe(2);
    expect(() => metrics.gauge('floodgate_things_total', 'Things', ['kind'])).toThrow(/already registered/);
  });
});
