import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { SharedCacheLevel } from '../platform/cache/redis-cache-level.js';
import { openRedisCacheLevel } from '../platform/cache/open-redis-cache-level.js';
import { createCounterStore, type SelectedCounterStore } from '../platform/counters/create-counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../platform/redis/redis-connection.js';
import { createMemoryCartWorkingCopy, createRedisCartWorkingCopy, type CartWorkingCopy } from '../services/carts/index.js';

/** The catalog pages' shared level in Redis (under REDIS_KEY_PREFIX), or none without REDIS_URL: the all-in-one and `serve catalog` alike. */
export function openCatalogPageLevel(config: Config, logger: Logger): SharedCacheLevel | undefined {
  return config.redisUrl ? openRedisCacheLevel({ redisUrl: config.redisUrl, name: 'catalog-pages', keyPrefix: config.redisKeyPrefix, logger: logger.child({ module: 'catalog-pages' }) }) : undefined;
}

/** The sale counters: Redis under REDIS_KEY_PREFIX when REDIS_URL is set, in-process otherwise. */
export function openSaleCounters(config: Config, logger: Logger, metrics?: Metrics): SelectedCounterStore {
  return createCounterStore({ redisUrl: config.redisUrl, keyPrefix: `${config.redisKeyPrefix}:`, logger: logger.child({ module: 'counters' }), ...(metrics ? { metrics } : {}) });
}

/**
 * The carts' working copy (docs/carts.md): Redis under REDIS_KEY_PREFIX when REDIS_URL is set; the process's memory
 * in the all-in-one (the only process: nobody else changes its carts); none for `serve carts` without Redis
 * (several instances would each hold their own copy) or with CARTS_WRITE_BACK=off: then every change is a transaction.
 */
export function openCartWorkingCopy(config: Config, logger: Logger, where: 'all-in-one' | 'service'): { workingCopy?: CartWorkingCopy; close(): Promise<void> } {
  if (!config.carts.writeBack) return { close: async () => {} };
  if (config.redisUrl) {
    const redis = createRedisConnection({ url: config.redisUrl, name: 'carts', logger: logger.child({ module: 'carts' }), autoPipelining: true });
    return { workingCopy: createRedisCartWorkingCopy({ redis, keyPrefix: `${config.redisKeyPrefix}:` }), close: () => closeRedisConnection(redis) };
  }
  return where === 'all-in-one' ? { workingCopy: createMemoryCartWorkingCopy({ maxCarts: config.carts.memoryMaxCarts }), close: async () => {} } : { close: async () => {} };
}
