import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

const valueOf = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) => {
  const family = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const found = (family?.values ?? []).find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value;
};

describe('metrics.tally', () => {
  it('when a tally and inc count the same label set, then every read shows their sum, and no count is lost or counted twice across reads', async () => {
    const metrics = createMetrics('tally-test');
    const counter = metrics.counter('floodgate_test_answers_total', 'test', ['route']);
    const poll = metrics.tally(counter, { route: '/poll' });
    for (let i = 0; i < 5; i++) poll();
    counter.inc({ route: '/poll' }, 2);
    expect(await valueOf(metrics, 'floodgate_test_answers_total', { route: '/poll' })).toBe(7);
    // read again with nothing new: the tally's pending count was added once, not again
    expect(await valueOf(metrics, 'floodgate_test_answers_total', { route: '/poll' })).toBe(7);
    poll();
    expect(await metrics.registry.metrics()).toMatch(/floodgate_test_answers_total\{route="\/poll",service="tally-test"\} 8/);
  });

  it('when two tallies count different label sets of one counter, then each set has its own count', async () => {
    const metrics = createMetrics('tally-test');
    const counter = metrics.counter('floodgate_test_steps_total', 'test', ['step', 'outcome']);
    const waiting = metrics.tally(counter, { step: 'poll', outcome: 'waiting' });
    const admitted = metrics.tally(counter, { step: 'poll', outcome: 'admitted' });
    waiting();
    waiting();
    admitted();
    expect(await valueOf(metrics, 'floodgate_test_steps_total', { outcome: 'waiting' })).toBe(2);
    expect(await valueOf(metrics, 'floodgate_test_steps_total', { outcome: 'admitted' })).toBe(1);
  });

  it('when values are counted through tallyPer, and two tallies share a label set, then each value has its count and shared sets add up', async () => {
    const metrics = createMetrics('tally-test');
    const counter = metrics.counter('floodgate_test_events_total', 'test', ['event']);
    const count = metrics.tallyPer(counter, (event: string) => ({ event }));
    count('login_failed');
    count('login_failed');
    count('guest_started');
    metrics.tally(counter, { event: 'guest_started' })();
    expect(await valueOf(metrics, 'floodgate_test_events_total', { event: 'login_failed' })).toBe(2);
    expect(await valueOf(metrics, 'floodgate_test_events_total', { event: 'guest_started' })).toBe(2);
  });

  it('when the counter was not made by this registry, then tally refuses it at once instead of never reporting', () => {
    const metrics = createMetrics('tally-test');
    const foreign = new Counter({ name: 'floodgate_test_foreign_total', help: 'test', registers: [new Registry()] });
    expect(() => metrics.tally(foreign, {})).toThrow(/must come from this registry/);
  });
});
