import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { createBackgroundThread, type BackgroundThread } from './background-thread.js';
import type { TestThreadData } from './test-thread.fixture.js';

const ENTRY = new URL('./test-thread.fixture.ts', import.meta.url);
const logger = pino({ level: 'silent' });
const tempDir = tempDirs('floodgate-thread-');
const started: BackgroundThread[] = [];
afterEach(async () => {
  for (const thread of started.splice(0)) await thread.stop();
});

const startThread = (data: Omit<TestThreadData, 'log'>, options: { stopTimeoutMs?: number; metrics?: Metrics } = {}) => {
  const log = join(tempDir(), 'thread.log');
  const thread = createBackgroundThread({ name: 'test', entry: ENTRY, data: { log, ...data }, logger, random: () => 0, ...options });
  started.push(thread);
  thread.start();
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { thread, lines };
};

describe('background threads', () => {
  it('when a thread runs, then its metrics join the host\'s exposition, and stop waits for its run to finish', async () => {
    const { thread, lines } = startThread({});
    await waitFor('the thread to run', () => thread.running(), { timeoutMs: 10_000 });
    const metrics = createMetrics('thread-test');
    metrics.addSource(() => thread.metrics());
    expect(await metrics.exposition()).toMatch(/^floodgate_test_thread_work_total\{service="thread-test"\} 3$/m);
    // the host's own series are still there
    expect(await metrics.exposition()).toMatch(/^floodgate_process_process_cpu_seconds_total\{service="thread-test"\} /m);
    await thread.stop();
    expect(lines()).toEqual(['start', 'stop']);
    expect(thread.running()).toBe(false);
    expect(await thread.metrics()).toEqual([]);
  });

  it('when the thread exits by itself, then it is started again, and the restart is counted', async () => {
    const metrics = createMetrics('thread-test');
    const { thread, lines } = startThread({ exitAfterFirstStart: true }, { metrics });
    await waitFor('the thread to start again', () => lines().filter((l) => l === 'start').length === 2 && thread.running(), { timeoutMs: 10_000 });
    await thread.stop();
    expect(lines()).toEqual(['start', 'start', 'stop']);
    expect(await metrics.exposition()).toMatch(/^floodgate_background_thread_restarts_total\{thread="test",service="thread-test"\} 1$/m);
  });

  it('when the thread does not finish its stop in time, then it is terminated', async () => {
    const { thread, lines } = startThread({ hangOnStop: true }, { stopTimeoutMs: 300 });
    await waitFor('the thread to run', () => thread.running(), { timeoutMs: 10_000 });
    await thread.stop();
    expect(thread.running()).toBe(false);
    expect(lines()).toEqual(['start']);
  });

  it('when the thread is stopped before its run has started, then it is not waited for', async () => {
    // a stop that waited would wait a minute for this run (past the test's timeout)
    const { thread, lines } = startThread({ startDelayMs: 60_000 }, { stopTimeoutMs: 60_000 });
    await thread.stop();
    expect(thread.running()).toBe(false);
    expect(lines()).toEqual([]);
  });
});
