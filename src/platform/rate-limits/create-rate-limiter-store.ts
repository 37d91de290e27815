import type { Redis } from 'ioredis';
import { closeRedisConnection, createRedisConnection, type RedisLogger } from '../redis/redis-connection.js';
import { createMemoryRateLimiterStore, type MemoryLimitUsage } from './memory-rate-limiter-store.js';
import type { RateLimiterStore } from './rate-limiter.js';
import { createRedisRateLimiterStore } from './redis-rate-limiter-store.js';

export interface RateLimiterStoreChoice {
  /** config.redisUrl: set → Redis (limits hold across processes), unset → in-process (all-in-one) */
  redisUrl?: string | undefined;
  /** a connection to share instead of opening one; its owner closes it */
  redis?: Redis;
  logger: RedisLogger;
  keyPrefix?: string;
  /** the in-memory limits' byte budget per named limit (the store itself without Redis, the fallback with it) */
  memoryBytesPerLimit?: number;
}

/** Picks the limit store from configuration, as createCounterStore does for counters. */
export function createRateLimiterStore(choice: RateLimiterStoreChoice): RateLimiterStore & { usage(): MemoryLimitUsage[] } {
  const keyPrefix = choice.keyPrefix;
  const memory = choice.memoryBytesPerLimit ? { maxBytesPerLimit: choice.memoryBytesPerLimit } : {};
  if (choice.redis) return createRedisRateLimiterStore({ redis: choice.redis, ...(keyPrefix ? { keyPrefix } : {}), ...memory });
  if (!choice.redisUrl) return createMemoryRateLimiterStore(memory);
  const redis = createRedisConnection({ url: choice.redisUrl, name: 'rate-limits', logger: choice.logger, commandTimeoutMs: 500 });
  return createRedisRateLimiterStore({ redis, ...(keyPrefix ? { keyPrefix } : {}), ...memory, onClose: () => closeRedisConnection(redis) });
}
