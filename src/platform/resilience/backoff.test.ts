import { describe, expect, it } from 'vitest';
import { jitteredBackoffMs } from './backoff.js';

describe('jittered backoff', () => {
  const steps = { initialMs: 100, maxMs: 1_000 };

  it('when attempts go on, then the wait doubles from the first step up to the ceiling, drawn from its upper half', () => {
    expect([1, 2, 3, 4, 5].map((n) => jitteredBackoffMs(n, steps, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([1, 2, 3, 4, 5].map((n) => jitteredBackoffMs(n, steps, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('when the attempt count is 0 or huge, then the wait stays within the first step and the ceiling', () => {
    expect(jitteredBackoffMs(0, steps, () => 1)).toBe(100);
    expect(jitteredBackoffMs(10_000, steps, () => 1)).toBe(1_000);
  });
});
