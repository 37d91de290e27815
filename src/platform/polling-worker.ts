import type { Logger } from 'pino';
import { createDatabaseErrorLog } from './db/database-error-log.js';
import { isTransientDatabaseError } from './db/database-errors.js';
import type { Worker } from './service.js';

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
}

export interface PollingWorker extends Worker {
  /** run soon: skips the idle wait, and is not lost if it lands while a pass is running */
  poke(): void;
}

/**
 * The loop every background job shares (outbox relays, reservation expiry, pruning): one pass at a
 * time, failures logged and retried after the idle wait, and stop() waits for the current pass.
 */
export function createPollingWorker({ name, pass, logger, idleMs, continueWhileBusy = false, onPassDone }: PollingWorkerOptions): PollingWorker {
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let poked = false;
  // a database outage fails every pass of every worker: one quiet line per interval, not a stack per pass
  const databaseErrors = createDatabaseErrorLog(logger, { fields: { worker: name } });

  const run = async () => {
    while (running) {
      poked = false;
      let done = 0;
      try {
        done = await pass();
        onPassDone?.(done);
      } catch (err) {
        if (isTransientDatabaseError(err)) databaseErrors.report(err);
        else logger.error({ err, worker: name }, 'worker pass failed; retrying after the idle wait');
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
      databaseErrors.close();
    },
    poke() {
      poked = true;
      wake?.();
    },
  };
}
