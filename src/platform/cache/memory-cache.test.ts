import { describe, expect, it } from 'vitest';
import { createMetrics } from '../telemetry/metrics.js';
import { createMemoryCache } from './memory-cache.js';

const counts = async (metrics: ReturnType<typeof createMetrics>, name: string) => {
  const metric = metrics.registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return Object.fromEntries(values.map((v) => [Object.values(v.labels).join('/'), v.value]));
};

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};

describe('memory cache', () => {
  it('when a key is read before and after it is set, then one miss and one hit are counted for that cache', async () => {
    const metrics = createMetrics('test');
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000, metrics });
    expect(cache.get('p1')).toBeUndefined();
    cache.set('p1', 'Blue mug');
    expect(cache.get('p1')).toBe('Blue mug');
    expect(await counts(metrics, 'floodgate_cache_requests_total')).toEqual({ 'products/hit': 1, 'products/miss': 1 });
    expect(await counts(metrics, 'floodgate_cache_entries')).toEqual({ products: 1 });
  });

  it('when 100 callers miss the same key at once, then the loader runs once and all of them get its value', async () => {
    const metrics = createMetrics('test');
    const cache = createMemoryCache<{ name: string }>({ name: 'products', max: 10, ttlMs: 60_000, metrics });
    const gate = deferred<{ name: string }>();
    let loads = 0;
    const callers = Array.from({ length: 100 }, () => cache.getOrLoad('p1', () => { loads++; return gate.promise; }));
    gate.resolve({ name: 'Blue mug' });
    const values = await Promise.all(callers);
    expect(loads).toBe(1);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual({ name: 'Blue mug' });
    expect(await cache.getOrLoad('p1', async () => { loads++; return { name: 'other' }; })).toEqual({ name: 'Blue mug' });
    expect(loads).toBe(1);
    expect(await counts(metrics, 'floodgate_cache_loads_total')).toEqual({ 'products/ok': 1 });
    expect(await counts(metrics, 'floodgate_cache_requests_total')).toEqual({ 'products/hit': 1, 'products/miss': 100 });
  });

  it('when the loader fails, then every waiter sees the error and the next call loads again', async () => {
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000 });
    const gate = deferred<string>();
    const waiting = [cache.getOrLoad('p1', () => gate.promise), cache.getOrLoad('p1', () => gate.promise)];
    gate.reject(new Error('database down'));
    for (const result of await Promise.allSettled(waiting)) expect(result).toMatchObject({ status: 'rejected', reason: { message: 'database down' } });
    expect(await cache.getOrLoad('p1', async () => 'loaded again')).toBe('loaded again');
  });

  it('when the loader throws synchronously, then the key is not stuck and a later load succeeds', async () => {
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000 });
    await expect(cache.getOrLoad('p1', () => { throw new Error('bad key'); })).rejects.toThrow('bad key');
    expect(await cache.getOrLoad('p1', async () => 'fine')).toBe('fine');
  });

  it('when the key is deleted while a load is in flight, then the stale loaded value is not stored', async () => {
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000 });
    const gate = deferred<string>();
    const loading = cache.getOrLoad('p1', () => gate.promise);
    cache.delete('p1'); // e.g. product.updated arrived while the old row was being read
    gate.resolve('old price');
    expect(await loading).toBe('old price');
    expect(cache.get('p1')).toBeUndefined();
  });

  it('when callers arrive after a delete or clear while an old load is in flight, then they get a fresh load, not the old answer', async () => {
    const cache = createMemoryCache<string>({ name: 'lists', max: 10, ttlMs: 60_000 });
    const old = deferred<string>();
    const before = cache.getOrLoad('page1', () => old.promise);
    cache.clear(); // an admin write landed while the old page was being read
    const after = cache.getOrLoad('page1', async () => 'new page');
    old.resolve('old page');
    expect(await before).toBe('old page');
    expect(await after).toBe('new page');
    expect(cache.get('page1')).toBe('new page');
  });

  it('when a value is set while a load is in flight, then the set value wins', async () => {
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000 });
    const gate = deferred<string>();
    const loading = cache.getOrLoad('p1', () => gate.promise);
    cache.set('p1', 'new price');
    gate.resolve('old price');
    await loading;
    expect(cache.get('p1')).toBe('new price');
  });

  it('when a loader answers null (not found), then null is cached and the loader is not asked again', async () => {
    const cache = createMemoryCache<string | null>({ name: 'products', max: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => { loads++; return null; };
    expect(await cache.getOrLoad('missing', load)).toBeNull();
    expect(await cache.getOrLoad('missing', load)).toBeNull();
    expect(loads).toBe(1);
  });

  it('when the ttl has passed, then the entry is gone and the loader runs again', async () => {
    const cache = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000 });
    cache.set('p1', 'short-lived', 20);
    expect(cache.get('p1')).toBe('short-lived');
    await new Promise((r) => setTimeout(r, 40));
    expect(cache.get('p1')).toBeUndefined();
    expect(await cache.getOrLoad('p1', async () => 'reloaded', 20)).toBe('reloaded');
  });

  it('when more keys than max are set, then the least recently used key is evicted', () => {
    const cache = createMemoryCache<number>({ name: 'small', max: 2, ttlMs: 60_000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('when two caches share a registry, then each is counted under its own cache label', async () => {
    const metrics = createMetrics('test');
    const products = createMemoryCache<string>({ name: 'products', max: 10, ttlMs: 60_000, metrics });
    const categories = createMemoryCache<string>({ name: 'categories', max: 10, ttlMs: 60_000, metrics });
    products.get('x');
    categories.set('c', 'Mugs');
    categories.get('c');
    expect(await counts(metrics, 'floodgate_cache_requests_total')).toEqual({
      'products/hit': 0, 'products/miss': 1, 'categories/hit': 1, 'categories/miss': 0,
    });
  });
});
