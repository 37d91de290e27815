import { LRUCache } from 'lru-cache';
import type { Metrics } from '../telemetry/metrics.js';

export interface MemoryCacheOptions {
  /** the `cache` label in `floodgate_cache_requests_total`; one name per purpose (`catalog-product`) */
  name: string;
  /** entries kept; the least recently used go first */
  max: number;
  /** default time to live; a set or getOrLoad may pass its own */
  ttlMs: number;
  metrics?: Metrics;
}

export interface MemoryCache<V> {
  readonly name: string;
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): void;
  delete(key: string): void;
  clear(): void;
  /**
   * The cached value, or `load()`'s result stored for `ttlMs`. Concurrent misses for one key share
   * ONE load (single flight), so a cold popular key costs the database one query, not one per request.
   * A failed load is not cached; every waiter sees its error.
   */
  getOrLoad(key: string, load: () => Promise<V>, ttlMs?: number): Promise<V>;
  readonly size: number;
}

// lru-cache refuses null/undefined values; boxing lets callers cache "not found" (null) too,
// which is what stops a storm of requests for a missing product from reaching the database
interface Box<V> { value: V }

// caches per registry, for the scrape-time `floodgate_cache_entries` gauge
const liveCaches = new WeakMap<object, Array<MemoryCache<unknown>>>();

/** The in-process (L1) cache: lru-cache with TTL, single-flight loads and hit/miss metrics. */
export function createMemoryCache<V>({ name, max, ttlMs, metrics }: MemoryCacheOptions): MemoryCache<V> {
  const lru = new LRUCache<string, Box<V>>({ max, ttl: ttlMs, ttlAutopurge: false });
  const inFlight = new Map<string, { promise: Promise<V>; stale: boolean }>();

  const requests = metrics?.counter('floodgate_cache_requests_total', 'Cache lookups by cache and result (hit | miss)', ['cache', 'result']);
  const loads = metrics?.counter('floodgate_cache_loads_total', 'Loads run on a miss (one per key however many callers waited), by result', ['cache', 'result']);
  const hit = requests?.labels({ cache: name, result: 'hit' });
  const miss = requests?.labels({ cache: name, result: 'miss' });
  // labelled children are resolved once: the hot path does no label lookups
  hit?.inc(0);
  miss?.inc(0);
  if (metrics) {
    metrics.gauge('floodgate_cache_entries', 'Entries currently held, per cache', ['cache'], function collectEntries() {
      for (const cache of liveCaches.get(metrics.registry) ?? []) this.set({ cache: cache.name }, cache.size);
    });
  }

  // a write or delete during a load wins: the load's (older) result must not overwrite it, and
  // callers arriving after the write must not join that load either: they start a fresh one
  const invalidate = (key: string) => {
    const pending = inFlight.get(key);
    if (pending) pending.stale = true;
    inFlight.delete(key);
  };

  const cache: MemoryCache<V> = {
    name,
    get(key) {
      const box = lru.get(key);
      (box ? hit : miss)?.inc();
      return box?.value;
    },
    set(key, value, ttl) {
      invalidate(key);
      lru.set(key, { value }, ttl === undefined ? undefined : { ttl });
    },
    delete(key) {
      invalidate(key);
      lru.delete(key);
    },
    clear() {
      for (const pending of inFlight.values()) pending.stale = true;
      inFlight.clear();
      lru.clear();
    },
    async getOrLoad(key, load, ttl) {
      const box = lru.get(key);
      if (box) {
        hit?.inc();
        return box.value;
      }
      miss?.inc();
      const pending = inFlight.get(key);
      if (pending) return pending.promise;
      const entry = { stale: false, promise: undefined as unknown as Promise<V> };
      // registered before load() runs, so even a loader that throws synchronously is cleaned up
      inFlight.set(key, entry);
      entry.promise = (async () => {
        try {
          const value = await load();
          if (!entry.stale) lru.set(key, { value }, ttl === undefined ? undefined : { ttl });
          loads?.inc({ cache: name, result: 'ok' });
          return value;
        } catch (err) {
          loads?.inc({ cache: name, result: 'error' });
          throw err;
        } finally {
          // only our own entry: an invalidation may have made room for a newer load of this key
          if (inFlight.get(key) === entry) inFlight.delete(key);
        }
      })();
      return entry.promise;
    },
    get size() {
      return lru.size;
    },
  };
  if (metrics) {
    const list = liveCaches.get(metrics.registry) ?? [];
    list.push(cache);
    liveCaches.set(metrics.registry, list);
  }
  return cache;
}
