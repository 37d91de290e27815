import { parentPort, workerData } from 'node:worker_threads';
import type { Registry } from 'prom-client';
import type { ThreadMessage } from './thread-messages.js';

/** what a background thread runs: started with its data, stopped once (finishing its work), its metrics read on demand */
export interface ThreadRun {
  stop(): Promise<void>;
  registry?: Registry;
}

/**
 * The thread side of createBackgroundThread: runs `run` with the data it was started with, answers metrics
 * requests, and on `stop` lets the run finish its work and closes the port, so the thread ends by itself (the
 * host terminates it only past its timeout). A run that fails to start ends the thread with its error; the host
 * logs it and starts it again.
 */
export function serveBackgroundThread(run: (data: unknown) => Promise<ThreadRun>): void {
  const port = parentPort;
  if (!port) throw new Error('serveBackgroundThread runs inside a worker thread (createBackgroundThread starts it)');
  const started = run(workerData);
  port.on('message', (message: ThreadMessage) => {
    if (message.type === 'stop') {
      void started.then((r) => r.stop()).finally(() => port.close());
    } else if (message.type === 'metrics-request') {
      void started
        .then(async (r) => (r.registry ? r.registry.getMetricsAsJSON() : []))
        .catch(() => [])
        .then((metrics) => port.postMessage({ type: 'metrics', id: message.id, metrics } satisfies ThreadMessage));
    }
  });
  started.then(
    () => port.postMessage({ type: 'ready' } satisfies ThreadMessage),
    (err: unknown) => {
      // thrown out of the thread: the host's error handler logs it, then its exit handler starts the thread again
      setImmediate(() => {
        throw err;
      });
    },
  );
}
