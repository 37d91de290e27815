import { describe, expect, it } from 'vitest';
import { AppError } from '../http/app-error.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createBulkhead } from './bulkhead.js';

/** work the test releases by hand, so "running" and "queued" are facts, not timing */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('bulkhead', () => {
  it('when more work arrives than its limit and queue hold, then the excess is refused with 503 OVERLOADED before it runs, and the queued work runs as slots free', async () => {
    const metrics = createMetrics('bulkhead_test');
    const heads = createBulkhead({ name: 'search', limit: 2, queue: 1, retryAfterSeconds: 2, metrics });
    const release = gate();
    let started = 0;
    const work = () => heads.run(async () => {
      started++;
      await release.opened;
      return started;
    });
    const running = [work(), work(), work()]; // two run, one waits
    await expect.poll(() => started).toBe(2);
    const refused = await work().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'OVERLOADED', kind: 'unavailable', details: { retryAfterSeconds: 2 } });
    expect(started).toBe(2); // the refused work never ran
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/floodgate_bulkhead_in_use\{bulkhead="search"[^}]*\} 2/);
    expect(text).toMatch(/floodgate_bulkhead_rejected_total\{bulkhead="search"[^}]*\} 1/);
    release.open();
    await Promise.all(running);
    expect(started).toBe(3);
    expect(await metrics.registry.metrics()).toMatch(/floodgate_bulkhead_in_use\{bulkhead="search"[^}]*\} 0/);
  });

  it('when the work fails, then its error passes through unchanged and the slot is freed', async () => {
    const heads = createBulkhead({ name: 'x', limit: 1, queue: 0 });
    await expect(heads.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(heads.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('when configured with a limit below 1, then it refuses to be built', () => {
    expect(() => createBulkhead({ name: 'bad', limit: 0, queue: 0 })).toThrow(/limit must be an integer/);
  });
});
