import { createTurnBatchLoader } from '../../platform/batching/turn-batch-loader.js';
import { createMemoryCache } from '../../platform/cache/memory-cache.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AvailabilityReader } from './product-view.js';

export interface CachedAvailabilityOptions {
  inventory: AvailabilityReader;
  /** how old a stock figure shown while browsing may be; 0 asks inventory on every request */
  ttlMs: number;
  metrics?: Metrics;
  /** variants remembered; one entry is a number, so this can be generous */
  max?: number;
}

/**
 * Stock figures for browsing (product pages and lists), cached per variant for a fraction of a
 * second, so a hot product page or list costs inventory one query per `ttlMs`, not one per request.
 *
 * Why a stale figure is safe: the number is only what the shopper SEES while browsing, and it may be
 * up to `ttlMs` old. Nothing decides a sale with it: checkout reserves with inventory's atomic
 * conditional update (`… WHERE available >= qty`), so a stale "3 left" can never oversell; at
 * worst the shopper learns at checkout that the last unit went a moment ago. Admin routes do not
 * use this cache: they read inventory directly.
 *
 * Misses are batch-loaded: every variant that misses in the same turn of the event loop (all the
 * variants of a page, and those of concurrent requests) goes to inventory in ONE `available(ids)`
 * call; a variant already being loaded is awaited, not asked again.
 */
export function createCachedAvailability({ inventory, ttlMs, metrics, max = 100_000 }: CachedAvailabilityOptions): AvailabilityReader {
  if (ttlMs <= 0) return inventory;
  const cache = createMemoryCache<number>({ name: 'catalog-availability', max, ttlMs, ...(metrics ? { metrics } : {}) });

  // unknown variants have 0 available, as in the inventory contract
  const batches = createTurnBatchLoader<string, number>((ids) => inventory.available(ids), { missing: 0 });

  return {
    async available(ids) {
      const unique = [...new Set(ids)];
      const figures = await Promise.all(unique.map((id) => cache.getOrLoad(id, () => batches.load(id))));
      return new Map(unique.map((id, i) => [id, figures[i]!]));
    },
  };
}
