import type { Redis } from 'ioredis';
import { closeRedisConnection, createRedisConnection, type RedisLogger } from '../redis/redis-connection.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';
import type { RateLimiterStore } from './rate-limiter.js';
import { createRedisRateLimiterStore } from './redis-rate-limiter-store.js';

export interface RateLimiterStoreChoice {
  /** config.redisUrl: set → Redis (limits hold across processes), unset → in-process (all-in-one) */
  redisUrl?: string | undefined;
  /** a connection to share instead of opening one; its owner closes it */
  redis?: Redis;
  logger: RedisLogger;
  keyPrefix?: string;
}

/** Picks the limit store from configuration, as createCounterStore does for counters. */
export function createRateLimiterStore(choice: RateLimiterStoreChoice): RateLimiterStore {
  const keyPrefix = choice.keyPrefix;
  if (choice.redis) return createRedisRateLimiterStore({ redis: choice.redis, ...(keyPrefix ? { keyPrefix } : {}) });
  if (!choice.redisUrl) return createMemoryRateLimiterStore(keyPrefix ? { keyPrefix } : {});
  const redis = createRedisConnection({ url: choice.redisUrl, name: 'rate-limits', logger: choice.logger, commandTimeoutMs: 500 });
  return createRedisRateLimiterStore({ redis, ...(keyPrefix ? { keyPrefix } : {}), onClose: () => closeRedisConnection(redis) });
}
