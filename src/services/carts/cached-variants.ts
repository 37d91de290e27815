import { createTurnBatchLoader } from '../../platform/batching/turn-batch-loader.js';
import { createMemoryCache } from '../../platform/cache/memory-cache.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { VariantSnapshot } from '../catalog/contract/catalog-client.js';
import type { VariantSource } from './priced-cart.js';

/**
 * The catalog's variants as cart answers price them, kept `ttlMs` (CATALOG_PAGE_TTL_MS: as old as a catalog page
 * may be) in front of the catalog's own cached snapshots (getVariantsCached): over HTTP (services apart) this level
 * saves the call. Adding to a cart otherwise costs a catalog query per request, more than the cart change itself.
 * Checkout never uses it: get-cart-for-checkout prices from the catalog directly, so an order is charged the
 * current price and an archived variant is refused there even if a cart answer still showed it.
 * Misses of concurrent requests (a crowd adding different products) share one catalog call per turn.
 */
export function createCachedVariants(catalog: VariantSource, { ttlMs, metrics, max = 50_000 }: { ttlMs: number; metrics?: Metrics; max?: number }): VariantSource {
  if (ttlMs <= 0) return catalog;
  // a variant the catalog does not know is cached as null too: a storm of adds of a bad id costs one query
  const cache = createMemoryCache<VariantSnapshot | null>({ name: 'carts-variants', max, ttlMs, ...(metrics ? { metrics } : {}) });
  const batches = createTurnBatchLoader<string, VariantSnapshot | null>(
    async (ids) => new Map((await catalog.getVariants(ids)).map((v) => [v.id, v])),
    { missing: null },
  );
  return {
    async getVariants(ids) {
      const found: VariantSnapshot[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const hit = cache.get(id);
        if (hit === undefined) missing.push(id);
        else if (hit) found.push(hit);
      }
      if (missing.length === 0) return found;
      const loaded = await Promise.all(missing.map((id) => batches.load(id)));
      missing.forEach((id, i) => {
        const variant = loaded[i]!;
        cache.set(id, variant);
        if (variant) found.push(variant);
      });
      return found;
    },
  };
}
