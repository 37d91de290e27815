import type { Logger } from 'pino';
import { isTransientFailure } from '../resilience/transient-failure.js';

export interface AggregatedFailureLogOptions {
  logger: Logger;
  /** one summary line per key per interval at most */
  intervalMs?: number;
  /** tests move time instead of sleeping */
  clock?: () => number;
  /** what is failing, for every line (`orders-outbox-relay`, `psp`) */
  dependency: string;
  /** an unexpected (non-transient) failure's first line carries its stack; a transient one's never does */
  isTransient?: (err: unknown) => boolean;
  /** the error's words for a line (`describeError` unless told; the database log names the driver's cause too) */
  describe?: (err: unknown) => string;
}

export interface AggregatedFailureLog {
  /** one more failure of `key` (an event type, a worker pass); the stack goes to debug only */
  failure(key: string, err: unknown, context?: Record<string, unknown>): void;
  /** `key` works again: says so once if it had been failing */
  success(key: string): void;
  /** writes the pending summaries now */
  flush(): void;
  /** stops the timer; a count not yet summed up is dropped (a stopping process says enough) */
  close(): void;
}

interface Window {
  /** failures since the last line written for this key */
  count: number;
  total: number;
  since: number;
  lastError: string;
  lastContext: Record<string, unknown> | undefined;
}

/** the error's own words and code, never its stack: `ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432` */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 500);
  const code = (err as { code?: unknown }).code;
  const message = typeof code === 'string' && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
  return (message || err.name).slice(0, 500);
}

/**
 * Expected transient failures (a PSP that is down, a database blip) come by the hundred per second;
 * a warning with a stack for each buries everything else. Per key this writes one line when the key
 * starts failing (with the stack only if the failure is not a transient one), then at most one line
 * per interval with the count and the last error, and one line when it works again. Each failure's
 * stack is logged at debug, for when someone asks for it. A key quiet for a whole interval is
 * forgotten, so the next failure announces itself at once again: that is how callers with no
 * success signal (database connection errors) still see each outage start.
 */
export function createAggregatedFailureLog({ logger, intervalMs = 10_000, clock = Date.now, dependency, isTransient = isTransientFailure, describe = describeError }: AggregatedFailureLogOptions): AggregatedFailureLog {
  const windows = new Map<string, Window>();
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (timer || windows.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush();
      schedule();
    }, intervalMs);
    timer.unref?.();
  };

  const flush = () => {
    for (const [key, w] of windows) {
      // quiet for a whole interval: forget it, so the next failure announces itself again
      if (w.count === 0) {
        windows.delete(key);
        continue;
      }
      logger.warn({ dependency, key, failures: w.count, failingForMs: clock() - w.since, lastError: w.lastError, ...w.lastContext }, `${dependency}: ${key} still failing`);
      w.count = 0;
    }
  };

  return {
    failure(key, err, context) {
      logger.debug({ err, dependency, key, ...context }, `${dependency}: ${key} failed`);
      const lastError = describe(err);
      const w = windows.get(key);
      if (w) {
        w.count++;
        w.total++;
        w.lastError = lastError;
        w.lastContext = context;
        return;
      }
      windows.set(key, { count: 0, total: 1, since: clock(), lastError, lastContext: context });
      // a bug's first line keeps its stack: that is the line someone will debug from
      const detail = isTransient(err) ? { error: lastError } : { err };
      logger.warn({ dependency, key, ...detail, ...context }, `${dependency}: ${key} failing; retrying (one summary line per ${intervalMs} ms while it lasts)`);
      schedule();
    },
    success(key) {
      const w = windows.get(key);
      if (!w) return;
      windows.delete(key);
      logger.info({ dependency, key, failures: w.total, failedForMs: clock() - w.since, lastError: w.lastError }, `${dependency}: ${key} works again`);
    },
    flush,
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
