import { describe, expect, it } from 'vitest';
import { runWithDeadline } from './deadline.js';
import { createOutboundPolicy, DependencyUnavailableError } from './outbound-policy.js';

class Outage extends Error {
  readonly transient = true;
}

const policy = (overrides: Partial<Parameters<typeof createOutboundPolicy>[0]> = {}) =>
  createOutboundPolicy({
    dependency: 'inventory',
    timeoutMs: 1_000,
    maxAttempts: 3,
    backoff: { initialDelayMs: 1, maxDelayMs: 2 },
    isTransient: (err) => err instanceof Outage,
    ...overrides,
  });

describe('outbound policy', () => {
  it('when an idempotent call fails transiently, then it is retried up to maxAttempts', async () => {
    let attempts = 0;
    const result = await policy().execute(async () => {
      if (++attempts < 3) throw new Outage('down');
      return 'ok';
    }, { idempotent: true });
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
  });

  it('when a non-idempotent call fails transiently, then it is tried once only', async () => {
    let attempts = 0;
    const call = policy().execute(async () => {
      attempts++;
      throw new Outage('down');
    }, { idempotent: false });
    await expect(call).rejects.toBeInstanceOf(Outage);
    expect(attempts).toBe(1);
  });

  it('when the failure is an answer (not transient), then it is not retried', async () => {
    let attempts = 0;
    const call = policy().execute(async () => {
      attempts++;
      throw new Error('409 conflict');
    }, { idempotent: true });
    await expect(call).rejects.toThrow('409 conflict');
    expect(attempts).toBe(1);
  });

  it('when the retry budget is spent, then no retry is made and every call is recorded', async () => {
    let recorded = 0;
    let attempts = 0;
    const budget = { recordAttempt: () => void recorded++, canRetry: () => false };
    const call = policy({ retryBudget: budget }).execute(async () => {
      attempts++;
      throw new Outage('down');
    }, { idempotent: true });
    await expect(call).rejects.toBeInstanceOf(Outage);
    expect({ attempts, recorded }).toEqual({ attempts: 1, recorded: 1 });
  });

  it('when most calls fail over the window, then the circuit opens and later calls fail fast as unavailable', async () => {
    const p = policy({ maxAttempts: 1, circuit: { threshold: 0.5, windowMs: 10_000, minimumRps: 0.1, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 5; i++) await p.execute(async () => { throw new Outage('down'); }, { idempotent: true }).catch(() => {});
    expect(p.state()).toBe('open');
    let called = false;
    const error = await p.execute(async () => { called = true; }, { idempotent: true }).catch((err: unknown) => err);
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).retryAfterSeconds).toBeGreaterThan(1);
  });

  it('when the request deadline is shorter than the attempt timeout, then the attempt is aborted at the deadline', async () => {
    const started = Date.now();
    const error = await runWithDeadline(50, () =>
      policy({ timeoutMs: 60_000 }).execute((signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))), { idempotent: true }),
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    // far below the 60 s attempt timeout; loose enough for a loaded machine
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('when the request has no time left, then no attempt starts', async () => {
    let called = false;
    const error = await runWithDeadline(0, () => policy().execute(async () => { called = true; }, { idempotent: true })).catch((err: unknown) => err);
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
  });
});
