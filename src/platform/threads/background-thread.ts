import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { jitteredBackoffMs } from '../resilience/backoff.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { ThreadMessage } from './thread-messages.js';

export type ThreadMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

export interface BackgroundThreadOptions {
  /** for logs: what the thread does */
  name: string;
  /** the entry module (it calls serveBackgroundThread): a .js beside this build, or a .ts under tsx and vitest */
  entry: URL;
  /** what the entry's run function is given (structured-cloned: plain data only) */
  data: unknown;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** counts the thread's restarts (floodgate_background_thread_restarts_total): a thread that keeps failing shows there */
  metrics?: Metrics;
  /** how long a stop waits for the thread to finish its work before it is terminated */
  stopTimeoutMs?: number;
  random?: () => number;
}

export interface BackgroundThread {
  start(): void;
  /** asks the thread to finish (its run's stop: a write-back drains), then waits for it, terminating it past the timeout */
  stop(): Promise<void>;
  /** the thread's own metrics (prom-client JSON), for this process's /metrics; none while it is not running */
  metrics(): Promise<ThreadMetrics>;
  /** whether the thread has started its work and not ended (tests, /ops) */
  running(): boolean;
}

const RESTART = { initialMs: 200, maxMs: 10_000 };
const METRICS_TIMEOUT_MS = 2_000;

/**
 * Work that needs no request's state runs beside the event loop that answers requests, on a core of its own: a
 * batch write-back paid for by every request made the answers wait for it (BENCHMARKS.md 2026-12-02). The thread
 * opens its own connections from `data`; a thread that fails or exits is started again with backoff (its work is
 * leased where it is kept, so nothing it held is lost: another run takes it when the lease lapses).
 */
export function createBackgroundThread({ name, entry, data, logger, metrics, stopTimeoutMs = 15_000, random = Math.random }: BackgroundThreadOptions): BackgroundThread {
  const restarts = metrics?.counter('floodgate_background_thread_restarts_total', 'Background threads that failed or exited and were started again (platform/threads), by thread', ['thread']);
  let worker: Worker | undefined;
  let ready = false;
  let stopping = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let nextRequest = 0;
  const pendingMetrics = new Map<number, (metrics: ThreadMetrics) => void>();

  // under tsx (sources, tests) the entry is TypeScript: the thread registers tsx first (Node 20 does not apply a
  // worker's `--import tsx` to the worker's own entry), then imports it
  const typescript = entry.pathname.endsWith('.ts');
  // tsx's ESM API, found from here (the worker's eval'd bootstrap would resolve a bare name from the working directory)
  const tsx = typescript && typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;

  const launch = () => {
    restartTimer = undefined;
    if (stopping) return;
    const thread = typescript ? new Worker(bootstrap, { eval: true, workerData: data, name }) : new Worker(entry, { workerData: data, name });
    worker = thread;
    thread.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready') {
        ready = true;
        failures = 0;
      } else if (message.type === 'metrics') {
        pendingMetrics.get(message.id)?.(message.metrics);
        pendingMetrics.delete(message.id);
      }
    });
    thread.on('error', (err) => logger.error({ err, thread: name }, 'background thread failed; it is started again'));
    thread.on('exit', (code) => {
      ready = false;
      if (worker === thread) worker = undefined;
      for (const answer of pendingMetrics.values()) answer([]);
      pendingMetrics.clear();
      if (stopping) return;
      failures += 1;
      restarts?.inc({ thread: name });
      const delayMs = jitteredBackoffMs(failures, RESTART, random);
      logger.warn({ thread: name, code, delayMs }, 'background thread exited; starting it again');
      restartTimer = setTimeout(launch, delayMs);
      restartTimer.unref();
    });
  };

  return {
    start() {
      if (worker || restartTimer) return;
      stopping = false;
      launch();
      logger.info({ thread: name }, 'background thread started');
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      const thread = worker;
      if (!thread) return;
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      if (!ready) {
        // still loading its modules and opening its connections (a stop right after a start): not waited for. Work it
        // may have begun is leased where it is kept (a cart stays due in Redis until its lease lapses), never lost
        await thread.terminate();
        await exited;
        return;
      }
      thread.postMessage({ type: 'stop' } satisfies ThreadMessage);
      const timer = setTimeout(() => {
        logger.warn({ thread: name, stopTimeoutMs }, 'background thread did not finish in time; terminating it');
        void thread.terminate();
      }, stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
    metrics() {
      const thread = worker;
      if (!thread || !ready) return Promise.resolve([]);
      const id = (nextRequest += 1);
      return new Promise<ThreadMetrics>((resolve) => {
        // a thread too busy to answer leaves its figures out of this scrape rather than holding the scrape up
        const timer = setTimeout(() => {
          pendingMetrics.delete(id);
          resolve([]);
        }, METRICS_TIMEOUT_MS);
        timer.unref();
        pendingMetrics.set(id, (metrics) => {
          clearTimeout(timer);
          resolve(metrics);
        });
        thread.postMessage({ type: 'metrics-request', id } satisfies ThreadMessage);
      });
    },
    running: () => ready,
  };
}
