import { createTurnBatchLoader } from '../../platform/batching/turn-batch-loader.js';
import { createLayeredCache } from '../../platform/cache/layered-cache.js';
import type { SharedCacheLevel } from '../../platform/cache/redis-cache-level.js';
import { jsonCodec, type TaggedCache } from '../../platform/cache/tagged-cache.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { looksLikeUuid } from './catalog-ids.js';
import { CatalogTags } from './catalog-page-invalidation.js';
import type { VariantSnapshot } from './contract/catalog-client.js';

/** every entry carries it: an invalidation that may have been missed (a reconnect: 'all') drops them all */
const ALL_VARIANTS = 'catalog-variants';

export interface CachedVariantSnapshots {
  /** the snapshots of `ids` that exist, from this process's cache; misses of one turn share one store call */
  get(ids: readonly string[]): Promise<VariantSnapshot[]>;
  /** the product-level tags a catalog change drops (CatalogTags.product), in this process only */
  drop(tags: readonly string[]): void;
}

export interface CachedVariantSnapshotsOptions {
  load: (ids: readonly string[]) => Promise<VariantSnapshot[]>;
  /** how long a snapshot is kept when no change drops it first */
  ttlMs: number;
  /**
   * the rendered pages' shared level, whose invalidations every process hears: a change made in another
   * process drops the variants of its product here too
   */
  invalidations?: Pick<SharedCacheLevel, 'onInvalidation'>;
  metrics?: Metrics;
  maxBytes?: number;
  now?: () => number;
}

/**
 * Variant snapshots as cart answers price them (CatalogClient.getVariantsCached), kept per process and
 * dropped by the same product-change announcements that drop the catalog's pages: in this process when
 * the change is made here, in every other one through the shared level's invalidation channel. So a
 * snapshot can be kept for long (`ttlMs`, a safety net) where a TTL alone would have to be as short as the
 * staleness a shopper may see. A variant the catalog does not know is cached as null (a storm of adds of a
 * bad id costs one query) until any product changes.
 * Charging never reads it: getVariants asks the store.
 */
export function createCachedVariantSnapshots({ load, ttlMs, invalidations, metrics, maxBytes = 16 * 1024 * 1024, now }: CachedVariantSnapshotsOptions): CachedVariantSnapshots {
  const cache: TaggedCache<VariantSnapshot | null> = createLayeredCache<VariantSnapshot | null>({
    name: 'catalog-variants',
    codec: jsonCodec(),
    maxBytes,
    ttlMs,
    ...(metrics ? { metrics } : {}),
    ...(now ? { now } : {}),
  });
  const batches = createTurnBatchLoader<string, VariantSnapshot | null>(async (ids) => new Map((await load(ids)).map((v) => [v.id, v])), { missing: null });
  // no shared level of its own: invalidateTags drops this process's entries, synchronously, and nothing else
  const drop = (tags: readonly string[]) => void cache.invalidateTags(tags);
  invalidations?.onInvalidation((tags) => drop(tags === 'all' ? [ALL_VARIANTS] : tags));

  return {
    get(ids) {
      // what is not an id is not looked up, nor kept
      const wanted = [...new Set(ids.filter(looksLikeUuid).map((id) => id.toLowerCase()))];
      const one = (id: string) =>
        cache.getOrLoad(id, async () => {
          const value = await batches.load(id);
          // an unknown id is dropped by any product change (CatalogTags.lists), as "not found" product pages are
          return { value, tags: value ? [ALL_VARIANTS, CatalogTags.product(value.productId)] : [ALL_VARIANTS, CatalogTags.lists] };
        });
      // not an async function: on the add-to-cart path each promise pays AsyncLocalStorage's hooks
      return Promise.all(wanted.map(one)).then((found) => found.filter((v): v is VariantSnapshot => v !== null));
    },
    drop,
  };
}
