import { RateLimiterMemory } from 'rate-limiter-flexible';
import { wrapFlexibleLimiter } from './flexible-limiter.js';
import type { RateLimiterStore } from './rate-limiter.js';

/** Limits held in this process: right for all-in-one, wrong behind a load balancer (each process counts alone). */
export function createMemoryRateLimiterStore({ keyPrefix = 'rl' }: { keyPrefix?: string } = {}): RateLimiterStore {
  return {
    kind: 'memory',
    limiter: (name, policy) =>
      wrapFlexibleLimiter(name, policy, new RateLimiterMemory({ keyPrefix: `${keyPrefix}:${name}`, points: policy.points, duration: policy.durationSeconds })),
    close: async () => {},
  };
}
