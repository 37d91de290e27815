import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

let watching = false;

/**
 * A promise that rejected with nobody waiting for it is a bug, but one that left nothing half-done: unlike a
 * thrown exception it interrupted no code. Node's default ends the process for it, which turned one stray
 * rejection during a database outage (a connection wait cut at a request's deadline, 2026-11-30 CI) into every
 * in-flight checkout lost at once. A serving process logs it at error level with its stack, counts it
 * (`floodgate_unhandled_rejections_total`, for an alert) and keeps serving. Exceptions still end the process.
 * Once per process: the first caller's logger and metrics are the ones used.
 */
export function watchUnhandledRejections(logger: Logger, metrics: Metrics): void {
  if (watching) return;
  watching = true;
  const counted = metrics.counter('floodgate_unhandled_rejections_total', 'Promises that rejected with nobody waiting for them (each is a bug: see the error log)');
  process.on('unhandledRejection', (reason) => {
    counted.inc();
    logger.error({ err: reason }, 'unhandled promise rejection (a bug: nothing waited for this promise); the process keeps serving');
  });
}
