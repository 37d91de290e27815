import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createBackgroundThread, type BackgroundThread } from '../platform/threads/background-thread.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { CartWorkingCopy } from '../services/carts/index.js';

/** what the thread is started with (structured-cloned) */
export interface CartWriteBackThreadData {
  config: Config;
  /** the host's metrics service label: the thread's series add up with the host's */
  service: string;
}

// beside this module: the .ts under tsx and vitest, the .js in dist/
const ENTRY = new URL(`./cart-write-back-thread-entry.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * With carts in Redis and a PostgreSQL server, the write-back of due carts runs on a thread of its own
 * (CARTS_WRITE_BACK_THREAD, default on): its reads of Redis, its JSON and its PostgreSQL round trips were a
 * third of an add's time on the event loop that answers requests (BENCHMARKS.md 2026-12-02). Undefined when the
 * loop must stay here: carts in this process's memory, the embedded database (one connection, this process's),
 * or the setting off. The thread's series join this process's /metrics.
 */
export function cartWriteBackThread(config: Config, workingCopy: CartWorkingCopy | undefined, logger: Logger, metrics: Metrics): BackgroundThread | undefined {
  if (workingCopy?.kind !== 'redis' || !config.databaseUrl || !config.carts.writeBackThread) return undefined;
  const data: CartWriteBackThreadData = { config, service: metrics.service };
  const thread = createBackgroundThread({ name: 'carts-write-back', entry: ENTRY, data, logger: logger.child({ module: 'carts' }), metrics });
  metrics.addSource(() => thread.metrics());
  return thread;
}
