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
  /** the clock (ms) that tells which figures are past half their ttl; default performance.now */
  now?: () => number;
}

/** the most figures one inventory call carries (the batch loader's bound), refreshed ones included */
const MAX_IDS_PER_CALL = 500;

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
 *
 * And the figures read lately (within four ttls) that are past half their ttl come along in that call
 * (refreshed early, so fresher, never older): hot pages refresh at scattered moments, one page each, and
 * each refresh missed here and cost inventory a query (50 product pages: ~50 queries a second); now a
 * refresh mostly finds its figures loaded with another's, and inventory sees a few calls a second.
 */
export function createCachedAvailability({ inventory, ttlMs, metrics, max = 100_000, now = () => performance.now() }: CachedAvailabilityOptions): AvailabilityReader {
  if (ttlMs <= 0) return inventory;
  const cache = createMemoryCache<number>({ name: 'catalog-availability', max, ttlMs, ...(metrics ? { metrics } : {}) });
  // when each figure was loaded, oldest first (a load moves it to the end), and when it was last read
  const loadedAt = new Map<string, number>();
  const readAt = new Map<string, number>();
  // a page shows its figures once per page refresh, not once per request: "lately" must span a few of those
  const readLatelyMs = 4 * ttlMs;

  /** figures read lately and past half their ttl, to refresh with `asked` */
  const ageing = (asked: ReadonlySet<string>, at: number) => {
    const room = MAX_IDS_PER_CALL - asked.size;
    const found: string[] = [];
    for (const [id, loaded] of loadedAt) {
      if (found.length >= room || at - loaded < ttlMs / 2) break;
      if (at - (readAt.get(id) ?? -Infinity) > readLatelyMs) {
        // no page has shown it lately: it is asked again when one does
        loadedAt.delete(id);
        readAt.delete(id);
      } else if (!asked.has(id)) found.push(id);
    }
    return found;
  };

  // unknown variants have 0 available, as in the inventory contract
  const batches = createTurnBatchLoader<string, number>(
    async (ids) => {
      const at = now();
      const extra = ageing(new Set(ids), at);
      const figures = await inventory.available(extra.length > 0 ? [...ids, ...extra] : ids);
      for (const id of [...ids, ...extra]) {
        loadedAt.delete(id);
        loadedAt.set(id, at);
      }
      // as bounded as the cache: the oldest go first
      for (const id of loadedAt.keys()) {
        if (loadedAt.size <= max) break;
        loadedAt.delete(id);
        readAt.delete(id);
      }
      for (const id of extra) cache.set(id, figures.get(id) ?? 0);
      return figures;
    },
    { missing: 0, maxBatchSize: MAX_IDS_PER_CALL },
  );

  return {
    async available(ids) {
      const unique = [...new Set(ids)];
      const at = now();
      for (const id of unique) readAt.set(id, at);
      const figures = await Promise.all(unique.map((id) => cache.getOrLoad(id, () => batches.load(id))));
      return new Map(unique.map((id, i) => [id, figures[i]!]));
    },
  };
}
