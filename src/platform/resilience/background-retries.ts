import type { Logger } from 'pino';
import type { Worker } from '../service.js';
import { createAggregatedFailureLog } from '../telemetry/failure-log.js';
import { jitteredBackoffMs } from './backoff.js';
import { runWithDeadline, runWithoutDeadline } from './deadline.js';

export interface BackgroundRetriesOptions {
  name: string;
  logger: Logger;
  /** delay after the n-th failure: initialMs·2^(n-1), at most maxMs, with jitter */
  backoff?: { initialMs: number; maxMs: number };
}

export interface RetryTask {
  /** what is being done, for the logs (`release the hold of a failed checkout`) */
  what: string;
  /** idempotent: it may have half-succeeded before it failed */
  run: () => Promise<void>;
  /** how long it may keep trying, each attempt included; past it, someone else is in charge (a lock lapsed, a hold expired) */
  forMs: number;
  /** log fields that identify it (order id, reservation id) */
  context?: Record<string, unknown>;
  /** said when it gives up: who takes over from there */
  fallback: string;
}

export interface BackgroundRetries extends Worker {
  /** runs the task now, then again with backoff until it succeeds, its time is up or stop(); resolves with whether it succeeded */
  run(task: RetryTask): Promise<boolean>;
  /** tasks not finished yet */
  pending(): number;
}

/**
 * The retried job for a compensation that could not be written anywhere durable: the database
 * refused the very write it would have gone into (a checkout whose order insert failed during a
 * blip must still give its hold back). A blip then costs a few retries instead of a unit held for
 * the whole reservation; a process crash leaves it to the owner's own backstop (`fallback`).
 *
 * Not cockatiel's retry: its wait between attempts cannot be cut short, and stop() must not wait
 * out a backoff. Every task has its own timer and flag, so nothing accumulates listeners on a
 * shared AbortSignal however many tasks are pending.
 */
export function createBackgroundRetries({ name, logger, backoff = { initialMs: 100, maxMs: 5_000 } }: BackgroundRetriesOptions): BackgroundRetries {
  const failures = createAggregatedFailureLog({ logger, dependency: name });
  const wakers = new Set<() => void>();
  const tasks = new Set<Promise<boolean>>();
  let stopped = false;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      wakers.add(done);
    });

  const attempt = async ({ what, run, forMs, context, fallback }: RetryTask): Promise<boolean> => {
    const deadline = Date.now() + forMs;
    for (let failed = 0; ; ) {
      try {
        // each attempt runs under the task's own time: one that hangs (a frozen database) is cut off there, so it
        // cannot land after someone else took over (a lapsed lock taken by a retry, an expired hold swept)
        await runWithDeadline(Math.max(0, deadline - Date.now()), run);
        if (failed > 0) failures.success(what);
        return true;
      } catch (err) {
        failed++;
        failures.failure(what, err, context);
        const delay = jitteredBackoffMs(failed, backoff);
        if (stopped || Date.now() + delay > deadline) {
          logger.warn({ ...context, attempts: failed, stopped }, `${name}: gave up on "${what}"; ${fallback}`);
          return false;
        }
        await wait(delay);
        if (stopped) {
          logger.warn({ ...context, attempts: failed, stopped }, `${name}: gave up on "${what}"; ${fallback}`);
          return false;
        }
      }
    }
  };

  return {
    name,
    start() {
      stopped = false;
    },
    run(task) {
      // not under the deadline of the request that failed: that request's time has often run out (which is
      // why it failed), and every database call under it would be refused at once, so the undo never landed.
      // Each attempt gets the task's own deadline instead (attempt)
      const running: Promise<boolean> = runWithoutDeadline(() => attempt(task)).finally(() => tasks.delete(running));
      tasks.add(running);
      return running;
    },
    pending: () => tasks.size,
    async stop() {
      stopped = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(tasks);
      failures.close();
    },
  };
}
