import type { LockoutPolicy } from './limit-catalogue.js';
import type { RateLimiterStore } from './rate-limiter.js';

export type LockoutCheck = { locked: false } | { locked: true; retryAfterMs: number };

export interface FailureLockout {
  check(key: string): Promise<LockoutCheck>;
  /** counts a failure; answers the lock it started, in seconds (0: still within the free failures) */
  recordFailure(key: string): Promise<number>;
  /** a success forgets the key's failures and lifts its lock */
  recordSuccess(key: string): Promise<void>;
}

/** after `over` failures past the free ones: base, 2×base, 4×base … capped at max */
export function lockSeconds(over: number, policy: LockoutPolicy): number {
  if (over <= 0) return 0;
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(over - 1, 30));
}

/**
 * Exponential lockout: past `freeFailures`, each failure locks the key for twice as long as the last, up to
 * `maxSeconds`. Callers key it on account AND client address, so an attacker's failures lock the attacker's
 * address out of that account, never the victim's (see docs/limits.md for the per-account cap beside it).
 */
export function createFailureLockout(store: RateLimiterStore, name: string, policy: LockoutPolicy): FailureLockout {
  // a counter that never refuses: only its count matters
  const failures = store.limiter(`${name}-failures`, { points: Number.MAX_SAFE_INTEGER, durationSeconds: policy.memorySeconds });
  const locks = store.limiter(`${name}-locks`, { points: 1, durationSeconds: policy.maxSeconds });
  return {
    async check(key) {
      const state = await locks.peek(key);
      return state.allowed ? { locked: false } : { locked: true, retryAfterMs: state.resetMs };
    },
    async recordFailure(key) {
      const { consumed } = await failures.penalty(key);
      const seconds = lockSeconds(consumed - policy.freeFailures, policy);
      if (seconds > 0) await locks.block(key, seconds);
      return seconds;
    },
    async recordSuccess(key) {
      await Promise.all([failures.reset(key), locks.reset(key)]);
    },
  };
}
