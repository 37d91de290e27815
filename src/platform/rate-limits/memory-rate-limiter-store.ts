import { wrapFlexibleLimiter } from './flexible-limiter.js';
import { RateLimiterLru } from './lru-rate-limiter.js';
import type { RateLimiterStore } from './rate-limiter.js';

/** the default byte budget of each named limit's keys (RATE_LIMIT_MEMORY_MB_PER_LIMIT): ~10,000 keys */
export const DEFAULT_MEMORY_BYTES_PER_LIMIT = 2 * 1024 * 1024;

export interface MemoryLimitUsage {
  limiter: string;
  keys: number;
  bytes: number;
  maxBytes: number;
}

export interface MemoryRateLimiterStore extends RateLimiterStore {
  /** each limiter's remembered keys and their cost (the ops metrics and the soak bench read it) */
  usage(): MemoryLimitUsage[];
}

/**
 * Limits held in this process: right for all-in-one, wrong behind a load balancer (each process counts alone).
 * Each named limit keeps its keys in its own LRU of `maxBytesPerLimit` (docs/limits.md, "Memory"): a flood of new
 * addresses can push out only that limit's coldest keys, never another limit's (a login lockout stays).
 */
export function createMemoryRateLimiterStore({ maxBytesPerLimit = DEFAULT_MEMORY_BYTES_PER_LIMIT }: { maxBytesPerLimit?: number } = {}): MemoryRateLimiterStore {
  const limiters = new Map<string, RateLimiterLru>();
  return {
    kind: 'memory',
    limiter: (name, policy) => {
      const limiter = new RateLimiterLru({ points: policy.points, duration: policy.durationSeconds, maxBytes: maxBytesPerLimit });
      limiters.set(name, limiter);
      return wrapFlexibleLimiter(name, policy, limiter);
    },
    usage: () => [...limiters].map(([limiter, l]) => ({ limiter, ...l.usage() })),
    close: async () => {},
  };
}
