import { LRUCache } from 'lru-cache';
import { runWithoutDeadline } from '../resilience/deadline.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { SharedCacheLevel } from './redis-cache-level.js';
import type { CacheCodec, Loaded, TaggedCache } from './tagged-cache.js';

export interface LayeredCacheOptions<V> {
  /** the `cache` label in the metrics; one name per purpose (`catalog-responses`) */
  name: string;
  codec: CacheCodec<V>;
  /** bytes the in-process level may hold (sizes from codec.sizeOf); least recently used go first */
  maxBytes: number;
  /** how long an entry is fresh */
  ttlMs: number;
  /** after that, how long it may still be served while one background load refreshes it */
  graceMs?: number;
  /** ± this fraction of ttlMs, drawn per entry, so entries filled together do not expire together */
  jitter?: number;
  /** the second level (Redis) shared by every process; absent → in-process only */
  shared?: SharedCacheLevel;
  metrics?: Metrics;
  /** epoch ms; tests pass a movable clock (it also drives lru-cache's own expiry) */
  now?: () => number;
  random?: () => number;
  /** a background refresh failed (the stale value was served): for logs */
  onRefreshError?: (key: string, err: unknown) => void;
}

interface Entry<V> {
  value: V;
  freshUntil: number;
  staleUntil: number;
  tags: readonly string[];
}

type Result = 'hit' | 'stale' | 'miss' | 'error';

/**
 * The cache port's implementation: lru-cache bounded by bytes (level l1) in front of an optional shared
 * level (l2, Redis). Written here rather than taken from bentocache or cacheable: entries are raw bytes
 * (bodies and their compressed variants), which bentocache's JSON serialisation would base64 on every
 * L2 round trip; cacheable has neither tags nor grace; and both would need their own Redis connections
 * instead of the platform's, whose short command timeout and logging a cache depends on to degrade.
 */
export function createLayeredCache<V>(options: LayeredCacheOptions<V>): TaggedCache<V> {
  const { name, codec, maxBytes, ttlMs, graceMs = 0, jitter = 0.1, shared, metrics, now = Date.now, random = Math.random, onRefreshError } = options;
  const byTag = new Map<string, Set<string>>();
  const lru = new LRUCache<string, Entry<V>>({
    maxSize: maxBytes,
    sizeCalculation: (entry) => Math.max(1, codec.sizeOf(entry.value)),
    perf: { now },
    ttlAutopurge: false,
    dispose: (entry, key) => {
      for (const tag of entry.tags) {
        const keys = byTag.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) byTag.delete(tag);
      }
    },
  });
  const inFlight = new Map<string, Promise<V>>();
  // bumped by every invalidation: a load that began before one must not store what it read
  let generation = 0;

  const lookups = metrics?.counter('floodgate_cache_lookups_total', 'Lookups by cache, level (l1 in-process, l2 shared) and result (hit | stale | miss | error)', ['cache', 'level', 'result']);
  const loads = metrics?.counter('floodgate_cache_loads_total', 'Loads run on a miss (one per key however many callers waited), by result', ['cache', 'result']);
  const invalidations = metrics?.counter('floodgate_cache_invalidations_total', 'Tag invalidations applied to the in-process level, by origin (local | remote | reconnect)', ['cache', 'origin']);
  // tallies, not label lookups: a hit is every cached read's one count (metrics.ts `tally`)
  const counter = (level: 'l1' | 'l2', result: Result) => {
    if (!lookups || !metrics) return undefined;
    // the series exists from the start, at 0, so a rate over it is defined before the first lookup
    lookups.inc({ cache: name, level, result }, 0);
    return { inc: metrics.tally(lookups, { cache: name, level, result }) };
  };
  const l1 = { hit: counter('l1', 'hit'), stale: counter('l1', 'stale'), miss: counter('l1', 'miss') };
  const l2 = { hit: counter('l2', 'hit'), stale: counter('l2', 'stale'), miss: counter('l2', 'miss'), error: counter('l2', 'error') };
  metrics?.gauge('floodgate_cache_bytes', 'Bytes held by the in-process level, per cache', ['cache']).set({ cache: name }, 0);
  const recordBytes = () => metrics?.gauge('floodgate_cache_bytes', 'Bytes held by the in-process level, per cache', ['cache']).set({ cache: name }, lru.calculatedSize);

  const remember = (key: string, entry: Entry<V>) => {
    const ttl = entry.staleUntil - now();
    if (ttl <= 0) return;
    lru.set(key, entry, { ttl });
    for (const tag of entry.tags) {
      const keys = byTag.get(tag) ?? new Set<string>();
      keys.add(key);
      byTag.set(tag, keys);
    }
  };

  const dropTags = (tags: readonly string[] | 'all', origin: 'local' | 'remote' | 'reconnect') => {
    generation++;
    inFlight.clear();
    invalidations?.inc({ cache: name, origin });
    if (tags === 'all') {
      lru.clear();
      return;
    }
    for (const tag of tags) for (const key of [...(byTag.get(tag) ?? [])]) lru.delete(key);
  };
  shared?.onInvalidation((tags) => dropTags(tags, tags === 'all' ? 'reconnect' : 'remote'));

  // `startedAt`: the generation when the fill began, before its shared-level lookup
  const loadAndStore = async (key: string, load: () => Promise<Loaded<V>>, startedAt: number): Promise<V> => {
    let loaded: Loaded<V>;
    try {
      loaded = await load();
      loads?.inc({ cache: name, result: 'ok' });
    } catch (err) {
      loads?.inc({ cache: name, result: 'error' });
      throw err;
    }
    if (startedAt === generation) {
      const fresh = ttlMs * (1 + jitter * (2 * random() - 1));
      const at = now();
      const entry: Entry<V> = { value: loaded.value, freshUntil: at + fresh, staleUntil: at + fresh + graceMs, tags: loaded.tags ?? [] };
      remember(key, entry);
      recordBytes();
      if (shared) void shared.set(key, { bytes: codec.encode(entry.value), freshUntil: entry.freshUntil, staleUntil: entry.staleUntil, tags: entry.tags });
    }
    return loaded.value;
  };

  /** one fill per key per process: the shared level first, then the loader */
  const fill = (key: string, load: () => Promise<Loaded<V>>, skipShared: boolean): Promise<V> => {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const startedAt = generation;
    const promise = (async () => {
      if (shared && !skipShared) {
        const found = await shared.get(key);
        const at = now();
        if (!shared.healthy && !found) l2.error?.inc();
        else if (found && at < found.staleUntil) {
          const value = codec.decode(found.bytes);
          if (startedAt === generation) remember(key, { value, freshUntil: found.freshUntil, staleUntil: found.staleUntil, tags: found.tags });
          if (at < found.freshUntil) {
            l2.hit?.inc();
            return value;
          }
          l2.stale?.inc();
          refresh(key, load);
          return value;
        } else l2.miss?.inc();
      }
      return loadAndStore(key, load, startedAt);
    })();
    inFlight.set(key, promise);
    const cleanup = () => {
      if (inFlight.get(key) === promise) inFlight.delete(key);
    };
    promise.then(cleanup, cleanup);
    return promise;
  };

  const refresh = (key: string, load: () => Promise<Loaded<V>>) => {
    if (inFlight.has(key)) return;
    // skip the shared level: its copy is the stale one (or another process's equally old one). The refresh
    // outlives the request that noticed the staleness, so it does not run on that request's deadline
    runWithoutDeadline(() => fill(key, load, true)).catch((err: unknown) => onRefreshError?.(key, err));
  };

  return {
    name,
    async getOrLoad(key, load) {
      const entry = lru.get(key);
      if (entry) {
        const at = now();
        if (at < entry.freshUntil) {
          l1.hit?.inc();
          return entry.value;
        }
        if (at < entry.staleUntil) {
          l1.stale?.inc();
          refresh(key, load);
          return entry.value;
        }
      }
      l1.miss?.inc();
      return fill(key, load, false);
    },
    peek: ((key: string, options?: { stale: true }) => {
      const entry = lru.get(key);
      if (!entry) return undefined;
      const at = now();
      if (at < entry.freshUntil) {
        l1.hit?.inc();
        return options?.stale ? { value: entry.value, stale: false } : entry.value;
      }
      if (!options?.stale || at >= entry.staleUntil) return undefined;
      // not counted here: the reader's getOrLoad, which starts the refresh, counts this stale lookup once
      return { value: entry.value, stale: true };
    }) as TaggedCache<V>['peek'],
    async invalidateTags(tags) {
      dropTags(tags, 'local');
      await shared?.invalidateTags(tags);
    },
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    async close() {
      lru.clear();
      await shared?.close();
    },
  };
}
