import pino from 'pino';
import { describe, expect, it } from 'vitest';
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

  it('when every pass fails (a database outage), then the worker writes one line, not one per pass, and none has a stack', async () => {
    const lines: string[] = [];
    const captured = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let calls = 0;
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const worker = createPollingWorker({ name: 't', logger: captured, idleMs: 1, pass: async () => { calls++; throw refused(); } });
    worker.start();
    await expect.poll(() => calls, { timeout: 10_000 }).toBeGreaterThan(50);
    await worker.stop();
    // the first failure at once, then the rest summed up (here by stop's flush) with their count
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ failures: calls - 1, lastError: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(lines.join('')).not.toContain('    at ');
  });
});
