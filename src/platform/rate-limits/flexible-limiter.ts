import { RateLimiterRes, type RateLimiterAbstract, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { LimitPolicy, LimitState, RateLimiter } from './rate-limiter.js';

type Flexible = RateLimiterAbstract | RateLimiterStoreAbstract;

const stateOf = (res: RateLimiterRes, policy: LimitPolicy): LimitState => ({
  allowed: res.consumedPoints <= policy.points,
  remaining: Math.max(0, policy.points - res.consumedPoints),
  consumed: res.consumedPoints,
  resetMs: Math.max(0, res.msBeforeNext),
});

/**
 * The port over any rate-limiter-flexible limiter. It refuses by rejecting with a RateLimiterRes and fails by
 * rejecting with an Error; the port answers the first and throws the second.
 */
export function wrapFlexibleLimiter(name: string, policy: LimitPolicy, limiter: Flexible): RateLimiter {
  return {
    name,
    policy,
    async consume(key, points = 1) {
      try {
        return stateOf(await limiter.consume(key, points), policy);
      } catch (err) {
        if (err instanceof RateLimiterRes) return { ...stateOf(err, policy), allowed: false };
        throw err;
      }
    },
    async penalty(key, points = 1) {
      return stateOf(await limiter.penalty(key, points), policy);
    },
    async reward(key, points = 1) {
      return stateOf(await limiter.reward(key, points), policy);
    },
    async peek(key) {
      const res = await limiter.get(key);
      return res ? stateOf(res, policy) : { allowed: true, remaining: policy.points, consumed: 0, resetMs: 0 };
    },
    async block(key, seconds) {
      await limiter.block(key, seconds);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
