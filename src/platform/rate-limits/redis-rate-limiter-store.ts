import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { wrapFlexibleLimiter } from './flexible-limiter.js';
import { RateLimiterLru } from './lru-rate-limiter.js';
import { DEFAULT_MEMORY_BYTES_PER_LIMIT, type MemoryLimitUsage } from './memory-rate-limiter-store.js';
import type { RateLimiterStore } from './rate-limiter.js';

export interface RedisRateLimiterStoreOptions {
  /** a connection from createRedisConnection: fails commands fast while Redis is away */
  redis: Redis;
  /** every key starts with it; tests use a random one to share a Redis */
  keyPrefix?: string;
  /** closes the connection when the store closes (set when the store opened it) */
  onClose?: () => Promise<void>;
  /** each fallback limiter's byte budget (as the in-memory store's) */
  maxBytesPerLimit?: number;
}

/**
 * Limits shared by every process through Redis (one Lua INCR+PEXPIRE per consume). While Redis is away each
 * process falls back to its own in-memory limiter of the same policy (rate-limiter-flexible's insurance
 * limiter): limits stay on, per process, instead of every request failing or every limit opening.
 */
export function createRedisRateLimiterStore({ redis, keyPrefix = 'floodgate:rl', onClose, maxBytesPerLimit = DEFAULT_MEMORY_BYTES_PER_LIMIT }: RedisRateLimiterStoreOptions): RateLimiterStore & { usage(): MemoryLimitUsage[] } {
  const fallbacks = new Map<string, RateLimiterLru>();
  return {
    kind: 'redis',
    limiter: (name, policy) => {
      const prefix = `${keyPrefix}:${name}`;
      // bounded like the in-memory store: an outage under a crowd must not grow each process without limit
      const insurance = new RateLimiterLru({ points: policy.points, duration: policy.durationSeconds, maxBytes: maxBytesPerLimit });
      fallbacks.set(name, insurance);
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: prefix,
        points: policy.points,
        duration: policy.durationSeconds,
        // a connection that is not ready goes to the insurance limiter at once instead of waiting for a timeout
        rejectIfRedisNotReady: true,
        insuranceLimiter: insurance,
      });
      return wrapFlexibleLimiter(name, policy, limiter);
    },
    /** the fallback limiters' keys: empty unless Redis was away */
    usage: () => [...fallbacks].map(([limiter, l]) => ({ limiter, ...l.usage() })),
    close: async () => {
      await onClose?.();
    },
  };
}
