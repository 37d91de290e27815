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

describe('metrics.observation', () => {
  /** the family's exposition lines, without the service label (same in both registries) */
  const exposition = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
    (await metrics.registry.getSingleMetricAsString(name)).replaceAll(/,service="[^"]*"/g, '').replaceAll(/service="[^"]*",?/g, '');

  it('when the same values are observed through an observation in one registry and through observe in another, then the expositions are identical at every read', async () => {
    const direct = createMetrics('obs-direct');
    const tallied = createMetrics('obs-tallied');
    const values = [0.0004, 0.001, 0.0031, 0.02, 0.7, 4.9, 9, 0.0009];
    const labels = { route: '/v1/x', method: 'GET', status: '200' };
    const other = { route: '/v1/y', method: 'GET', status: '404' };
    const observe = tallied.observation(tallied.httpDuration, labels);
    const observeOther = tallied.observation(tallied.httpDuration, other);
    for (const v of values) {
      direct.httpDuration.observe(labels, v);
      observe(v);
    }
    direct.httpDuration.observe(other, 0.3);
    observeOther(0.3);
    expect(await exposition(tallied, 'floodgate_http_request_duration_seconds')).toBe(await exposition(direct, 'floodgate_http_request_duration_seconds'));
    // read again with nothing new: nothing added twice; then more of both, mixed with a direct observe of the same set
    expect(await exposition(tallied, 'floodgate_http_request_duration_seconds')).toBe(await exposition(direct, 'floodgate_http_request_duration_seconds'));
    for (const target of [direct, tallied]) target.httpDuration.observe(labels, 0.05);
    direct.httpDuration.observe(labels, 0.002);
    observe(0.002);
    const text = await exposition(tallied, 'floodgate_http_request_duration_seconds');
    expect(text).toBe(await exposition(direct, 'floodgate_http_request_duration_seconds'));
    expect(text).toMatch(/floodgate_http_request_duration_seconds_count\{route="\/v1\/x",method="GET",status="200"\} 10/);
    // the histogram's state replaced (a reset): the observation finds its label set again instead of writing into the old state
    for (const target of [direct, tallied]) target.httpDuration.reset();
    direct.httpDuration.observe(labels, 0.2);
    observe(0.2);
    expect(await exposition(tallied, 'floodgate_http_request_duration_seconds')).toBe(await exposition(direct, 'floodgate_http_request_duration_seconds'));
  });

  it('when the histogram was not made by this registry, then observation refuses it', () => {
    const metrics = createMetrics('obs-test');
    const foreign = createMetrics('obs-other').histogram('floodgate_test_foreign_seconds', 'test', ['route']);
    expect(() => metrics.observation(foreign, { route: '/' })).toThrow(/must come from this registry/);
  });
});
