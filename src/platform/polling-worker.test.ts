import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createPollingWorker } from './polling-worker.js';

const logger = pino({ level: 'silent' });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('polling worker', () => {
  it('when a pass fails, then the worker logs it and keeps polling', async () => {
    let calls = 0;
    const worker = createPollingWorker({ name: 't', logger, idleMs: 10, pass: async () => { calls++; if (calls === 1) throw new Error('boom'); return 0; } });
    worker.start();
    await tick(80);
    await worker.stop();
    expect(calls).toBeGreaterThan(2);
  });

  it('when every pass fails because the database is down, then the log gets one line without a stack, not one per pass', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    let calls = 0;
    const worker = createPollingWorker({
      name: 'relay',
      logger: capture,
      idleMs: 1,
      pass: async () => {
        calls++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
    });
    worker.start();
    await expect.poll(() => calls).toBeGreaterThan(20);
    await worker.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, worker: 'relay', error: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(JSON.stringify(lines)).not.toMatch(/\s+at /);
  });

  it('when poked during a pass, then the next pass runs without the idle wait', async () => {
    let calls = 0;
    let release!: () => void;
    const firstPass = new Promise<void>((r) => (release = r));
    const worker = createPollingWorker({ name: 't', logger, idleMs: 60_000, pass: async () => { calls++; if (calls === 1) await firstPass; return 0; } });
    worker.start();
    await tick(5);
    worker.poke(); // lands while pass 1 is still running
    release();
    await tick(20);
    expect(calls).toBe(2);
    await worker.stop();
  });

  it('when pokes come faster than minPokeIntervalMs, then a pass runs at most once per interval, and a poke held back still runs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      let calls = 0;
      const worker = createPollingWorker({ name: 't', logger, idleMs: 60_000, minPokeIntervalMs: 50, pass: async () => { calls++; return 0; } });
      worker.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      // a poke every millisecond for 100 ms (a notification per revocation): passes at 0, 50 and 100 ms only
      for (let ms = 0; ms < 100; ms++) {
        worker.poke();
        await vi.advanceTimersByTimeAsync(1);
      }
      expect(calls).toBe(4);
      // right after a pass: held for the interval, then run, not dropped until the next poll a minute away
      worker.poke();
      await vi.advanceTimersByTimeAsync(49);
      expect(calls).toBe(4);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(5);
      await worker.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('when stopped mid-pass, then stop waits for the pass to finish and no pass starts after', async () => {
    let finished = false;
    let calls = 0;
    const worker = createPollingWorker({ name: 't', logger, idleMs: 1, pass: async () => { calls++; await tick(30); finished = true; return 1; }, continueWhileBusy: true });
    worker.start();
    await tick(5);
    await worker.stop();
    expect(finished).toBe(true);
    const after = calls;
    await tick(50);
    expect(calls).toBe(after);
  });

});
