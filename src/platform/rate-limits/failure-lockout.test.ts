import { describe, expect, it } from 'vitest';
import { createFailureLockout, lockSeconds } from './failure-lockout.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';

const policy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 900, memorySeconds: 86_400 };

describe('failure lockout', () => {
  it('when failures pass the free ones, then each locks twice as long as the last, never longer than the cap', () => {
    expect([0, 1, 2, 3, 4, 9, 10, 11, 1_000].map((over) => lockSeconds(over, policy))).toEqual([0, 2, 4, 8, 16, 512, 900, 900, 900]);
  });

  it('when a key fails, then it is locked only past the free failures, and a success unlocks it and forgets its failures', async () => {
    const lockout = createFailureLockout(createMemoryRateLimiterStore(), 'test', policy);
    const locks = [];
    for (let i = 0; i < 7; i += 1) locks.push(await lockout.recordFailure('pair'));
    expect(locks).toEqual([0, 0, 0, 0, 0, 2, 4]);
    const check = await lockout.check('pair');
    expect(check.locked).toBe(true);
    expect(check.locked && check.retryAfterMs).toBeGreaterThan(3_000);
    expect(await lockout.check('other')).toEqual({ locked: false });
    await lockout.recordSuccess('pair');
    expect(await lockout.check('pair')).toEqual({ locked: false });
    expect(await lockout.recordFailure('pair')).toBe(0);
  });
});
