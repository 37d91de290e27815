import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBackgroundRetries } from './background-retries.js';
import { currentDeadline, runWithDeadline } from './deadline.js';

const logger = pino({ level: 'silent' });
const failing = (times: number) => {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      calls++;
      if (calls <= times) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
  };
};

describe('background retries', () => {
  it('when a task fails a few times, then it is retried until it succeeds, once', async () => {
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    const task = failing(3);
    expect(await retries.run({ what: 'release', run: task.run, forMs: 10_000, fallback: 'expiry' })).toBe(true);
    expect(task.calls()).toBe(4);
    expect(retries.pending()).toBe(0);
  });

  it('when the request that started it is out of time, then each attempt runs under the task\'s own time instead', async () => {
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    const seen: (number | undefined)[] = [];
    const task = failing(1);
    const run = async () => {
      seen.push(currentDeadline()?.remainingMs());
      await task.run();
    };
    // started inside a request whose deadline has passed, as a checkout's failed undo is
    const done = runWithDeadline(0, () => {
      expect(currentDeadline()?.expired()).toBe(true);
      return retries.run({ what: 'release', run, forMs: 10_000, fallback: 'expiry' });
    });
    expect(await done).toBe(true);
    // not the request's spent deadline, and not none: an attempt that hung would be cut off when the task's time is up
    expect(seen).toHaveLength(2);
    for (const left of seen) {
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(10_000);
    }
  });

  it('when an attempt hangs, then its deadline ends with the task\'s time, so it cannot land after someone else took over', async () => {
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 1, maxMs: 5 } });
    let attempts = 0;
    // as the database pool does with a statement: it waits until the deadline it runs under passes, then fails
    const hang = async () => {
      attempts++;
      const deadline = currentDeadline();
      if (!deadline) throw new Error('an attempt without a deadline could hang for ever');
      await new Promise<void>((resolve) => {
        const check = () => (deadline.expired() ? resolve() : setTimeout(check, 5));
        check();
      });
      throw new Error('statement cancelled: deadline passed');
    };
    expect(await retries.run({ what: 'release', run: hang, forMs: 60, fallback: 'expiry' })).toBe(false);
    expect(attempts).toBe(1);
  });

  it('when its time is up, then it gives up instead of acting past it', async () => {
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 20, maxMs: 20 } });
    const task = failing(Number.POSITIVE_INFINITY);
    expect(await retries.run({ what: 'release', run: task.run, forMs: 50, fallback: 'expiry' })).toBe(false);
    // each wait is 50–100 % of the 20 ms backoff, and none starts that would end past the 50 ms: at most 1 + 50/10
    // calls fit (4 was the bound before, and a CI run made 5 with short waits); it did retry before giving up
    expect(task.calls()).toBeGreaterThanOrEqual(2);
    expect(task.calls()).toBeLessThanOrEqual(6);
  });

  it('when stopped during a backoff, then stop does not wait the backoff out and the task gives up', async () => {
    const retries = createBackgroundRetries({ name: 't', logger, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const task = failing(Number.POSITIVE_INFINITY);
    const outcome = retries.run({ what: 'release', run: task.run, forMs: 600_000, fallback: 'expiry' });
    await expect.poll(() => task.calls()).toBe(1);
    const started = Date.now();
    await retries.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await outcome).toBe(false);
    expect(task.calls()).toBe(1);
  });
});
