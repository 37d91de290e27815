import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createClaimPipeline } from './claim-pipeline.js';
import { createAggregatedFailureLog } from './telemetry/failure-log.js';

const logger = pino({ level: 'silent' });

/** a queue of numbered items; each run waits until the test releases it */
function rig(total: number, concurrency: number, idleMs = 60_000) {
  const queue = Array.from({ length: total }, (_, i) => i);
  const claims: number[] = [];
  const running = new Map<number, () => void>();
  const done: number[] = [];
  const failures = createAggregatedFailureLog({ logger, dependency: 'test' });
  const pipeline = createClaimPipeline({
    name: 'test',
    concurrency,
    logger,
    failures,
    idleMs,
    claim: async (limit) => {
      claims.push(limit);
      return queue.splice(0, limit);
    },
    run: (item: number) =>
      new Promise<void>((resolve) => running.set(item, () => {
        running.delete(item);
        done.push(item);
        resolve();
      })),
  });
  return { queue, claims, running, done, pipeline };
}

describe('claim pipeline', () => {
  it('when items take long, then at most `concurrency` run, and a freed slot is refilled without waiting for the others', async () => {
    const r = rig(10, 3);
    r.pipeline.start();
    await expect.poll(() => r.running.size).toBe(3);
    expect(r.claims[0]).toBe(3);
    r.running.get(0)?.();
    await expect.poll(() => [...r.running.keys()]).toEqual([1, 2, 3]);
    expect(r.pipeline.inFlight()).toBe(3);
    for (const release of r.running.values()) release();
    const stopped = r.pipeline.stop();
    await expect.poll(() => r.running.size).toBe(0);
    await stopped;
  });

  it('when a claim comes back short, then freed slots claim nothing more until a poke, which claims at once', async () => {
    const r = rig(2, 4);
    r.pipeline.start();
    await expect.poll(() => r.running.size).toBe(2);
    const claimsBefore = r.claims.length;
    r.running.get(0)?.();
    await expect.poll(() => r.done).toEqual([0]);
    await new Promise((resolve) => setImmediate(resolve)); // the pass the freed slot woke has run
    expect(r.claims).toHaveLength(claimsBefore); // idleMs is a minute: only a poke claims again
    r.queue.push(7);
    r.pipeline.poke();
    await expect.poll(() => [...r.running.keys()].sort()).toEqual([1, 7]);
    for (const release of r.running.values()) release();
    await r.pipeline.stop();
  });

  it('when stop() is called with items in flight, then it claims nothing more and resolves only after they finished', async () => {
    const r = rig(5, 2);
    r.pipeline.start();
    await expect.poll(() => r.running.size).toBe(2);
    let stopped = false;
    const stopping = r.pipeline.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    r.running.get(0)?.();
    r.running.get(1)?.();
    await stopping;
    expect(r.done).toEqual([0, 1]);
    expect(r.queue).toEqual([2, 3, 4]);
  });

  it('when claims fail, then the pipeline logs one line, retries at the idle poll, and works again once the claim does', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const failures = createAggregatedFailureLog({ logger: capture, dependency: 'test' });
    let calls = 0;
    const ran: number[] = [];
    const pipeline = createClaimPipeline({
      name: 'test',
      concurrency: 2,
      logger: capture,
      failures,
      idleMs: 5,
      claim: async () => {
        calls++;
        if (calls <= 10) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return calls === 11 ? [1] : [];
      },
      run: async (item: number) => void ran.push(item),
    });
    pipeline.start();
    await expect.poll(() => ran).toEqual([1]);
    await pipeline.stop();
    failures.close();
    expect(lines.map((l) => l.msg)).toEqual(['test: claim failing; retrying (one summary line per 10000 ms while it lasts)', 'test: claim works again']);
    expect(lines[1]).toMatchObject({ failures: 10 });
  });

  it('when drainOnce() is called, then it claims once and runs every claimed item, with their results', async () => {
    const failures = createAggregatedFailureLog({ logger, dependency: 'test' });
    const queue = [1, 2, 3, 4, 5];
    const pipeline = createClaimPipeline({ name: 'test', concurrency: 2, logger, failures, idleMs: 10, claim: async (limit) => queue.splice(0, limit), run: async (n: number) => n * 10 });
    expect(await pipeline.drainOnce(4)).toEqual([10, 20, 30, 40]);
    expect(queue).toEqual([5]);
  });
  it('when claims keep finding nothing, then each idle poll waits twice as long up to maxIdleMs, and a poke or found work brings the wait back', async () => {
    vi.useFakeTimers();
    const failures = createAggregatedFailureLog({ logger, dependency: 'test' });
    const queue: number[] = [];
    const claimedAt: number[] = [];
    const t0 = Date.now();
    const pipeline = createClaimPipeline({
      name: 'test', concurrency: 4, logger, failures, idleMs: 100, maxIdleMs: 400,
      claim: async (limit) => {
        claimedAt.push(Date.now() - t0);
        return queue.splice(0, limit);
      },
      run: async () => undefined,
    });
    try {
      pipeline.start();
      await vi.advanceTimersByTimeAsync(1_500);
      expect(claimedAt).toEqual([0, 100, 300, 700, 1_100, 1_500]);
      pipeline.poke(); // a writer's commit: claimed at once, and the wait starts over
      await vi.advanceTimersByTimeAsync(300);
      expect(claimedAt.slice(6)).toEqual([1_500, 1_600, 1_800]);
      queue.push(7); // found by the poll 400 ms later; finding it starts the wait over too
      await vi.advanceTimersByTimeAsync(500);
      expect(claimedAt.slice(9)).toEqual([2_200, 2_300]);
      await vi.advanceTimersByTimeAsync(300);
      // the first empty claim after work waits idleMs again, then the doubling resumes
      expect(claimedAt.slice(11)).toEqual([2_400, 2_600]);
    } finally {
      const stopped = pipeline.stop();
      await vi.advanceTimersByTimeAsync(1_000);
      await stopped;
      vi.useRealTimers();
      failures.close();
    }
  });
});
