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
  /**
   * pokes take effect at most this often (default 0: each at once); one within the interval is held until it ends,
   * never dropped. For pokes that every process receives at once (a notification): a steady stream of them would
   * otherwise run pass after pass in every process, as fast as the pass's dependency answers
   */
  minPokeIntervalMs?: number;
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
export function createPollingWorker({ name, pass, logger, idleMs, continueWhileBusy = false, onPassDone, failureLogIntervalMs, minPokeIntervalMs = 0 }: PollingWorkerOptions): PollingWorker {
  const failures = createAggregatedFailureLog({ logger, dependency: name, ...(failureLogIntervalMs ? { intervalMs: failureLogIntervalMs } : {}) });
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let poked = false;
  let pokedAt = -Infinity;
  let heldPoke: ReturnType<typeof setTimeout> | undefined;
  const pokeNow = () => {
    heldPoke = undefined;
    pokedAt = performance.now();
    poked = true;
    wake?.();
  };

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
      clearTimeout(heldPoke);
      heldPoke = undefined;
      wake?.();
      await loop;
      failures.close();
    },
    poke() {
      if (heldPoke) return;
      const wait = pokedAt + minPokeIntervalMs - performance.now();
      if (wait <= 0) return pokeNow();
      heldPoke = setTimeout(pokeNow, wait);
      heldPoke.unref?.();
    },
  };
}
