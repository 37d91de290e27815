import type { Logger } from 'pino';
import { describeDatabaseError } from './database-errors.js';

export interface DatabaseErrorLog {
  /** a connection-level failure (lost socket, refused connect, query deadline); logged quietly */
  report(err: unknown): void;
  close(): void;
}

/**
 * A lost database produces an error per pooled connection and per request, hundreds a second. The first one
 * after a quiet spell logs one line at once (an operator sees the outage start); the rest are counted and
 * summed up in one line per interval with the last error. No stack: it says nothing about a dead socket
 * (it is at debug for whoever wants it).
 */
export function createDatabaseErrorLog(
  logger: Logger | undefined,
  { fields = {}, intervalMs = 10_000 }: { fields?: Record<string, unknown>; intervalMs?: number } = {},
): DatabaseErrorLog {
  let suppressed = 0;
  let last: unknown;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    if (suppressed === 0) return;
    logger?.warn({ ...fields, count: suppressed, intervalMs, lastError: describeDatabaseError(last) }, 'database connection errors');
    suppressed = 0;
    // keep summing while errors keep coming; the window closes after one interval without any
    timer = setTimeout(flush, intervalMs).unref();
  };

  return {
    report(err) {
      logger?.debug({ ...fields, err }, 'database connection error (detail)');
      if (timer === undefined) {
        logger?.warn({ ...fields, error: describeDatabaseError(err) }, 'database connection error');
        timer = setTimeout(flush, intervalMs).unref();
        return;
      }
      suppressed++;
      last = err;
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
