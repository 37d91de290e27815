import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { SharedCacheLevel } from '../platform/cache/redis-cache-level.js';
import { openRedisCacheLevel } from '../platform/cache/open-redis-cache-level.js';
import { createCounterStore, type SelectedCounterStore } from '../platform/counters/create-counter-store.js';

/** The catalog pages' shared level in Redis (under REDIS_KEY_PREFIX), or none without REDIS_URL: the all-in-one and `serve catalog` alike. */
export function openCatalogPageLevel(config: Config, logger: Logger): SharedCacheLevel | undefined {
  return config.redisUrl ? openRedisCacheLevel({ redisUrl: config.redisUrl, name: 'catalog-pages', keyPrefix: config.redisKeyPrefix, logger: logger.child({ module: 'catalog-pages' }) }) : undefined;
}

/** The sale counters: Redis under REDIS_KEY_PREFIX when REDIS_URL is set, in-process otherwise. */
export function openSaleCounters(config: Config, logger: Logger, metrics?: Metrics): SelectedCounterStore {
  return createCounterStore({ redisUrl: config.redisUrl, keyPrefix: `${config.redisKeyPrefix}:`, logger: logger.child({ module: 'counters' }), ...(metrics ? { metrics } : {}) });
}
