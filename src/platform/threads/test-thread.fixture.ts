// A background thread for background-thread.test.ts: logs its starts and stops to a file, counts some work, and can
// exit by itself after its first start or never finish its stop.
import { appendFileSync, readFileSync } from 'node:fs';
import { Counter, Registry } from 'prom-client';
import { serveBackgroundThread } from './serve-thread.js';

export interface TestThreadData {
  log: string;
  exitAfterFirstStart?: boolean;
  hangOnStop?: boolean;
  /** how long its run takes to start (opening connections, say) */
  startDelayMs?: number;
}

serveBackgroundThread(async (data) => {
  const { log, exitAfterFirstStart, hangOnStop, startDelayMs } = data as TestThreadData;
  if (startDelayMs) await new Promise((resolve) => setTimeout(resolve, startDelayMs));
  appendFileSync(log, 'start\n');
  const starts = readFileSync(log, 'utf8').split('\n').filter((line) => line === 'start').length;
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'thread-test' });
  new Counter({ name: 'floodgate_test_thread_work_total', help: 'work the test thread did', registers: [registry] }).inc(3);
  if (exitAfterFirstStart && starts === 1) setTimeout(() => process.exit(3), 20);
  return {
    registry,
    async stop() {
      // the port stays open (it listens), so a stop that never ends keeps the thread up until the host terminates it
      if (hangOnStop) await new Promise(() => {});
      appendFileSync(log, 'stop\n');
    },
  };
});
