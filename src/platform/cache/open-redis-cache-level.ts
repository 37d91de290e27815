import { closeRedisConnection, createRedisConnection, type RedisLogger } from '../redis/redis-connection.js';
import { createRedisCacheLevel, type SharedCacheLevel } from './redis-cache-level.js';

export interface OpenRedisCacheLevelOptions {
  redisUrl: string;
  /** cache name: Redis key namespace and invalidation channel */
  name: string;
  /** the deployment's namespace (REDIS_KEY_PREFIX); default `floodgate` */
  keyPrefix?: string;
  logger: RedisLogger;
  /**
   * A cache read that takes longer than this is abandoned for the database. Short: a hit from Redis is
   * sub-millisecond, and a frozen Redis must cost one request this much, then nothing for backoffMs.
   */
  commandTimeoutMs?: number;
  backoffMs?: number;
  onError?: (op: string, err: unknown) => void;
}

/**
 * The shared cache level on its own three connections from the platform factory (reads, writes, SUBSCRIBE),
 * reads with a short command timeout and no queued retries (a cache that waits for Redis is worse than
 * none), writes and invalidations with the ordinary one (an invalidation must not give up early).
 */
export function openRedisCacheLevel({ redisUrl, name, keyPrefix, logger, commandTimeoutMs = 150, backoffMs = 1_000, onError }: OpenRedisCacheLevelOptions): SharedCacheLevel {
  const redis = createRedisConnection({ url: redisUrl, name: `cache-${name}`, logger, commandTimeoutMs, connectTimeoutMs: 1_000, maxRetriesPerRequest: 0 });
  const writer = createRedisConnection({ url: redisUrl, name: `cache-${name}-writes`, logger, connectTimeoutMs: 1_000 });
  const subscriber = createRedisConnection({ url: redisUrl, name: `cache-${name}-invalidations`, logger, connectTimeoutMs: 1_000 });
  const level = createRedisCacheLevel({ name, ...(keyPrefix ? { keyPrefix } : {}), redis, writer, subscriber, backoffMs, ...(onError ? { onError } : {}) });
  return {
    ...level,
    get healthy() {
      return level.healthy;
    },
    get listening() {
      return level.listening;
    },
    async close() {
      await level.close();
      await Promise.all([closeRedisConnection(redis), closeRedisConnection(writer), closeRedisConnection(subscriber)]);
    },
  };
}
