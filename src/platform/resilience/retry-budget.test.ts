import { describe, expect, it } from 'vitest';
import { createMetrics } from '../telemetry/metrics.js';
import { createRetryBudget } from './retry-budget.js';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, move: (ms: number) => (t += ms) };
};

const retriesAllowed = (budget: { canRetry(): boolean }, asked: number) => Array.from({ length: asked }, () => budget.canRetry()).filter(Boolean).length;

describe('retry budget', () => {
  it('when 200 calls fail, then at most 10% of them plus the floor are retried in the window', () => {
    const time = clock();
    const budget = createRetryBudget({ dependency: 'psp', now: time.now, minRetries: 3 });
    for (let i = 0; i < 200; i += 1) budget.recordAttempt();
    expect(retriesAllowed(budget, 200)).toBe(23);
  });

  it('when nothing was called, then only the floor is allowed', () => {
    const budget = createRetryBudget({ dependency: 'psp', now: clock().now, minRetries: 2 });
    expect(retriesAllowed(budget, 10)).toBe(2);
  });

  it('when the window slides past the spent retries, then the budget refills from the calls still in it', () => {
    const time = clock();
    const budget = createRetryBudget({ dependency: 'redis', now: time.now, windowMs: 10_000, minRetries: 0 });
    for (let i = 0; i < 100; i += 1) budget.recordAttempt();
    expect(retriesAllowed(budget, 50)).toBe(10);
    time.move(5_000);
    for (let i = 0; i < 100; i += 1) budget.recordAttempt();
    // the 10 retries spent are still in the window: 200 calls allow 20
    expect(retriesAllowed(budget, 50)).toBe(10);
    time.move(6_000);
    // the first 100 calls and the first 10 retries fell out: 100 calls, 10 retries left in the window
    expect(retriesAllowed(budget, 50)).toBe(0);
    time.move(10_000);
    for (let i = 0; i < 30; i += 1) budget.recordAttempt();
    expect(retriesAllowed(budget, 50)).toBe(3);
  });

  it('when a retry is allowed or refused, then floodgate_retries_total counts it per dependency', async () => {
    const metrics = createMetrics('test');
    const budget = createRetryBudget({ dependency: 'rabbitmq', now: clock().now, minRetries: 1, metrics });
    budget.canRetry();
    budget.canRetry();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/floodgate_retries_total\{[^}]*dependency="rabbitmq"[^}]*result="attempted"[^}]*\} 1/);
    expect(text).toMatch(/floodgate_retries_total\{[^}]*dependency="rabbitmq"[^}]*result="refused"[^}]*\} 1/);
  });

  it('when the settings are negative, then creating the budget fails naming it', () => {
    expect(() => createRetryBudget({ dependency: 'psp', ratio: -1 })).toThrow(/psp/);
  });
});
