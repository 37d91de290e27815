import { describe, expect, it } from 'vitest';
import { createOpsHistory } from './ops-history.js';
import type { OpsSummary, OpsSummarySource } from './ops-summary.js';

/** a summary source whose n-th sample is stamped n */
function countingSource(): OpsSummarySource & { taken: () => number } {
  let n = 0;
  return {
    sample: async () => ({ at: ++n, routes: Array.from({ length: 12 }, (_, i) => ({ group: `/g${i}` })) }) as unknown as OpsSummary,
    stop: () => {},
    taken: () => n,
  };
}

describe('ops history', () => {
  it('when more samples were taken than it holds, then it answers the newest ones, oldest first, with at most eight route groups each', async () => {
    const source = countingSource();
    const history = createOpsHistory(source, { capacity: 4, intervalMs: 5 });
    try {
      await expect.poll(() => source.taken(), { timeout: 5_000 }).toBeGreaterThan(6);
      history.stop();
      const taken = source.taken();
      const samples = history.samples();
      // the sample in flight when stop() ran may or may not have landed
      expect(samples.map((s) => s.at)).toEqual(samples[3]!.at === taken ? [taken - 3, taken - 2, taken - 1, taken] : [taken - 4, taken - 3, taken - 2, taken - 1]);
      expect(samples.every((s) => s.routes.length === 8)).toBe(true);
    } finally {
      history.stop();
    }
  });

  it('when nothing was sampled yet, then it answers no samples', () => {
    const history = createOpsHistory(countingSource(), { intervalMs: 60_000 });
    expect(history.samples()).toEqual([]);
    history.stop();
  });
});
