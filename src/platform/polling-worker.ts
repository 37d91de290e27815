import type { Logger } from 'pino';
import type { Worker } from './service.js';
import { createAggregatedFailureLog } from './telemetry/failure-log.js';

export interface PollingWorkerOptions {
  name: string;
  /** one unit of work; resolves with how much it did (0 = idle) */
  pass: () => Promise<number>;
  logger: Logger;
  /** wait between passes that found nothing (and after a failed pass) */
  idleMs: number;
  /** run again at once after a pass that did work (a backlog drains without waiting) */
  continueWhileBusy?: boolean;
  onPassDone?: (done: number) => void;
  /** while passes keep failing (a database outage), one log line per this interval, not one per pass */
  failureLogIntervalMs?: number;
}

export interface PollingWorker extends Worker {
  /** run soon: skips the idle wait, and is not lost if it lands while a pass is running */
  poke(): void;
}

/**
 * The loop background jobs share (reservation expiry, pruning, sweeps): one pass at a
 * time, failures retried after the idle wait and logged aggregated (createAggregatedFailureLog), and
 * stop() waits for the current pass.
 */
export function createPollingWorker({ name, pass, logger, idleMs, continueWhileBusy = false, onPassDone, failureLogIntervalMs }: PollingWorkerOptions): PollingWorker {
  const failures = createAggregatedFailureLog({ logger, dependency: name, ...(failureLogIntervalMs ? { intervalMs: failureLogIntervalMs } : {}) });
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let poked = false;

  const run = async () => {
    while (running) {
      poked = false;
      let done = 0;
      try {
        done = await pass();
        failures.success('pass');
        onPassDone?.(done);
      } catch (err) {
        failures.failure('pass', err, { worker: name, retryInMs: idleMs });
      }
      if (!running || poked || (continueWhileBusy && done > 0)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };

  return {
    name,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      failures.close();
    },
    poke() {
      poked = true;
      wake?.();
    },
  };
}
