import { describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { currentDeadline, runWithDeadline } from '../resilience/deadline.js';
import { createLayeredCache, type LayeredCacheOptions } from './layered-cache.js';
import { jsonCodec, type TaggedCache } from './tagged-cache.js';

/** What a configuration gives the suite: the shared level (or none) for a cache of this name. */
export type CacheSetup = (name: string) => Promise<{ shared?: LayeredCacheOptions<unknown>['shared']; close(): Promise<void> }>;

export const lookupCounts = async (metrics: Metrics) => {
  const metric = metrics.registry.getSingleMetric('floodgate_cache_lookups_total');
  const values = metric ? (await metric.get()).values : [];
  return Object.fromEntries(values.filter((v) => v.value > 0).map((v) => [`${v.labels.level}/${v.labels.result}`, v.value]));
};

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
};

let seq = 0;

/** One suite for every configuration of the cache port: in-process only, and in-process in front of Redis. */
export function taggedCacheContract(label: string, setup: CacheSetup) {
  describe(`tagged cache (${label})`, () => {
    const make = async <V>(extra: Partial<LayeredCacheOptions<V>> = {}) => {
      const name = `contract-${process.pid}-${Date.now()}-${seq++}`;
      const level = await setup(name);
      const clock = { t: Date.now() };
      const metrics = createMetrics('test');
      const cache: TaggedCache<V> = createLayeredCache<V>({
        name, codec: jsonCodec<V>(), maxBytes: 1_000_000, ttlMs: 1_000, graceMs: 0, jitter: 0, metrics,
        now: () => clock.t, ...(level.shared ? { shared: level.shared } : {}), ...extra,
      });
      return { cache, clock, metrics, name, close: async () => { await cache.close(); await level.close(); } };
    };

    it('when 1,000 requests ask for a cold key at once, then exactly one load runs and all get its value', async () => {
      const { cache, metrics, close } = await make<string>();
      try {
        const gate = deferred<{ value: string }>();
        let loads = 0;
        const callers = Array.from({ length: 1_000 }, () => cache.getOrLoad('hot', () => { loads++; return gate.promise; }));
        gate.resolve({ value: 'page' });
        expect(new Set(await Promise.all(callers))).toEqual(new Set(['page']));
        expect(loads).toBe(1);
        expect((await lookupCounts(metrics))['l1/miss']).toBe(1_000);
      } finally { await close(); }
    });

    it('when a value is fresh, then it is served without a load and counted as an l1 hit', async () => {
      const { cache, metrics, close } = await make<string>();
      try {
        let loads = 0;
        const load = async () => ({ value: `v${++loads}` });
        expect(await cache.getOrLoad('k', load)).toBe('v1');
        expect(await cache.getOrLoad('k', load)).toBe('v1');
        expect(loads).toBe(1);
        expect((await lookupCounts(metrics))['l1/hit']).toBe(1);
      } finally { await close(); }
    });

    it('when an entry is past its ttl but within grace, then the stale value is served and one refresh replaces it', async () => {
      const { cache, clock, metrics, close } = await make<string>({ graceMs: 5_000 });
      try {
        let loads = 0;
        const gate = deferred<void>();
        const load = async () => { loads++; if (loads > 1) await gate.promise; return { value: `v${loads}` }; };
        await cache.getOrLoad('k', load);
        clock.t += 1_500;
        expect(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)])).toEqual(['v1', 'v1']);
        expect(loads).toBe(2);
        gate.resolve();
        await expect.poll(() => cache.getOrLoad('k', load)).toBe('v2');
        expect(loads).toBe(2);
        expect((await lookupCounts(metrics))['l1/stale']).toBeGreaterThanOrEqual(2);
      } finally { await close(); }
    });

    it('when a request out of time finds an entry stale, then the refresh it starts runs outside that request\'s deadline', async () => {
      const { cache, clock, close } = await make<string>({ graceMs: 5_000 });
      try {
        const deadlines: (number | undefined)[] = [];
        let loads = 0;
        const load = async () => { deadlines.push(currentDeadline()?.remainingMs()); return { value: `v${++loads}` }; };
        await cache.getOrLoad('k', load);
        clock.t += 1_500;
        // the refresh outlives the request: were it bound to its (spent) deadline, every query under it would be refused
        expect(await runWithDeadline(0, () => cache.getOrLoad('k', load))).toBe('v1');
        await expect.poll(() => cache.getOrLoad('k', load)).toBe('v2');
        expect(deadlines).toEqual([undefined, undefined]);
      } finally { await close(); }
    });

    it('when an entry is past its ttl and its grace, then the caller waits for a fresh load', async () => {
      const { cache, clock, close } = await make<string>({ graceMs: 500 });
      try {
        let loads = 0;
        const load = async () => ({ value: `v${++loads}` });
        await cache.getOrLoad('k', load);
        clock.t += 1_600;
        expect(await cache.getOrLoad('k', load)).toBe('v2');
      } finally { await close(); }
    });

    it('when peeked, then only a value in this process is returned (a stale one only when asked, marked stale): never a load, an invalidated or an expired one', async () => {
      const { cache, clock, metrics, close } = await make<string>({ graceMs: 5_000 });
      try {
        let loads = 0;
        const load = async () => ({ value: `v${++loads}`, tags: ['product:1'] });
        expect(cache.peek('k')).toBeUndefined();
        expect(loads).toBe(0);
        await cache.getOrLoad('k', load);
        expect(cache.peek('k')).toBe('v1');
        expect(cache.peek('k', { stale: true })).toEqual({ value: 'v1', stale: false });
        clock.t += 1_500;
        expect(cache.peek('k')).toBeUndefined();
        // within its grace: only a reader that asks for stale values gets it, marked so; nothing loads
        expect(cache.peek('k', { stale: true })).toEqual({ value: 'v1', stale: true });
        expect(loads).toBe(1);
        expect(await cache.getOrLoad('k', load)).toBe('v1');
        // the stale peek and the getOrLoad that refreshes it are one stale lookup
        expect((await lookupCounts(metrics))['l1/stale']).toBe(1);
        await expect.poll(() => cache.peek('k')).toBe('v2');
        await cache.invalidateTags(['product:1']);
        expect(cache.peek('k')).toBeUndefined();
        expect(cache.peek('k', { stale: true })).toBeUndefined();
        expect(loads).toBe(2);
        // past its grace it is gone for every reader
        await cache.getOrLoad('k', load);
        clock.t += 7_000;
        expect(cache.peek('k', { stale: true })).toBeUndefined();
      } finally { await close(); }
    });

    it('when a tag is invalidated, then only entries carrying it load again', async () => {
      const { cache, close } = await make<string>();
      try {
        let loads = 0;
        const load = (tags: string[]) => async () => ({ value: `v${++loads}`, tags });
        await cache.getOrLoad('page-a', load(['product:1', 'lists']));
        await cache.getOrLoad('page-b', load(['product:2', 'lists']));
        await cache.invalidateTags(['product:1']);
        expect(await cache.getOrLoad('page-a', load([]))).toBe('v3');
        expect(await cache.getOrLoad('page-b', load([]))).toBe('v2');
      } finally { await close(); }
    });

    it('when a tag is invalidated while a load is running, then that load\'s (older) result is not kept', async () => {
      const { cache, close } = await make<string>();
      try {
        const gate = deferred<{ value: string; tags: string[] }>();
        const first = cache.getOrLoad('k', () => gate.promise);
        await cache.invalidateTags(['product:1']);
        gate.resolve({ value: 'old', tags: ['product:1'] });
        expect(await first).toBe('old');
        expect(await cache.getOrLoad('k', async () => ({ value: 'new' }))).toBe('new');
      } finally { await close(); }
    });

    it('when a load fails, then every waiter gets the error and the next call loads again', async () => {
      const { cache, close } = await make<string>();
      try {
        const callers = Array.from({ length: 10 }, () => cache.getOrLoad('k', async () => { throw new Error('database down'); }));
        for (const c of callers) await expect(c).rejects.toThrow('database down');
        expect(await cache.getOrLoad('k', async () => ({ value: 'back' }))).toBe('back');
      } finally { await close(); }
    });

    it('when entries are filled together with jitter, then they do not all expire at the same moment', async () => {
      const draws = [0, 1, 0.5];
      const { cache, clock, close } = await make<string>({ jitter: 0.2, random: () => draws.shift() ?? 0.5 });
      try {
        for (const k of ['a', 'b', 'c']) await cache.getOrLoad(k, async () => ({ value: 'first' }));
        clock.t += 900; // a: 800 ms, b: 1,200 ms, c: 1,000 ms
        const again = async (k: string) => cache.getOrLoad(k, async () => ({ value: 'second' }));
        expect([await again('a'), await again('b'), await again('c')]).toEqual(['second', 'first', 'first']);
      } finally { await close(); }
    });

    it('when more bytes are stored than the bound, then the least recently used entries leave the process', async () => {
      const { cache, close } = await make<string>({ maxBytes: 3_000, codec: { ...jsonCodec<string>(), sizeOf: () => 1_000 } });
      try {
        for (const k of ['a', 'b', 'c', 'd']) await cache.getOrLoad(k, async () => ({ value: k }));
        expect(cache.stats()).toEqual({ entries: 3, bytes: 3_000 });
      } finally { await close(); }
    });
  });
}
