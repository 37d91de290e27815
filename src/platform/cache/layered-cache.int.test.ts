import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_SERVICES } from '../../../test/support/services.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../../../test/support/private-redis.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createLayeredCache } from './layered-cache.js';
import { openRedisCacheLevel } from './open-redis-cache-level.js';
import { lookupCounts, taggedCacheContract } from './tagged-cache.contract-test.js';
import { jsonCodec } from './tagged-cache.js';

const logger = { info: () => undefined, warn: () => undefined };
const redisUp = await serviceAvailable('redis');

// the shared Redis: every test uses its own cache name (key namespace), nothing is flushed
describe.runIf(redisUp)('with the shared Redis', () => {
  taggedCacheContract('in-process in front of Redis', async (name) => {
    const shared = openRedisCacheLevel({ redisUrl: TEST_SERVICES.redis, name, logger });
    return { shared, close: async () => undefined };
  });

  const twoProcesses = (name: string) => {
    const open = () => {
      const metrics = createMetrics('test');
      const shared = openRedisCacheLevel({ redisUrl: TEST_SERVICES.redis, name, logger });
      return { metrics, shared, cache: createLayeredCache<string>({ name, codec: jsonCodec<string>(), maxBytes: 100_000, ttlMs: 60_000, metrics, shared }) };
    };
    return [open(), open()] as const;
  };

  it('when one process loaded a key, then another finds it in Redis (an l2 hit) without loading', async () => {
    const [a, b] = twoProcesses(`l2-${process.pid}-${Date.now()}`);
    try {
      // a connection still connecting is skipped like a broken one; this test is about a working Redis
      await expect.poll(() => a.shared.healthy && b.shared.healthy).toBe(true);
      await a.cache.getOrLoad('p1', async () => ({ value: 'from a', tags: ['product:1'] }));
      // a's write to Redis is not awaited by its reader: wait until it landed
      await expect.poll(() => b.shared.get('p1').then((e) => e !== undefined)).toBe(true);
      expect(await b.cache.getOrLoad('p1', async () => ({ value: 'from b' }))).toBe('from a');
      expect((await lookupCounts(b.metrics))['l2/hit']).toBeGreaterThanOrEqual(1);
    } finally { await a.cache.close(); await b.cache.close(); }
  });

  it('when one process invalidates a tag, then the other drops its in-process copy within a second', async () => {
    const [a, b] = twoProcesses(`inv-${process.pid}-${Date.now()}`);
    try {
      // a process hears invalidations once its subscription is in place (before that its pages live out their TTL)
      await expect.poll(() => a.shared.healthy && b.shared.listening).toBe(true);
      await b.cache.getOrLoad('page', async () => ({ value: 'old price', tags: ['product:1'] }));
      await a.cache.invalidateTags(['product:1']);
      await expect.poll(() => b.cache.getOrLoad('page', async () => ({ value: 'new price', tags: ['product:1'] })), { timeout: 1_000, interval: 20 }).toBe('new price');
    } finally { await a.cache.close(); await b.cache.close(); }
  });
});

describe.runIf(privateRedisAvailable())('when Redis fails', () => {
  let redis: PrivateRedis;
  beforeAll(async () => { redis = await startPrivateRedis(); });
  afterAll(async () => { redis.thaw(); await redis.stop(); });

  it('when Redis is killed or frozen, then reads are answered from memory and the loader, never an error', async () => {
    const metrics = createMetrics('test');
    const shared = openRedisCacheLevel({ redisUrl: redis.url, name: 'faults', logger, commandTimeoutMs: 100, backoffMs: 500 });
    const cache = createLayeredCache<string>({ name: 'faults', codec: jsonCodec<string>(), maxBytes: 100_000, ttlMs: 60_000, metrics, shared });
    try {
      let loads = 0;
      const load = async () => ({ value: `v${++loads}` });
      expect(await cache.getOrLoad('warm', load)).toBe('v1');

      await redis.kill();
      expect(await cache.getOrLoad('warm', load)).toBe('v1'); // l1 hit
      expect(await cache.getOrLoad('cold-1', load)).toBe('v2'); // l2 unavailable → loader

      await redis.restart();
      await expect.poll(() => shared.healthy, { timeout: 10_000 }).toBe(true);
      redis.freeze();
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.getOrLoad(`cold-frozen-${i}`, load)));
      expect(answers).toHaveLength(20);
      // each lookup gives up on the frozen server after its command timeout, not the connection's 2 s default
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(await cache.getOrLoad('cold-after', load)).toMatch(/^v\d+$/);
      expect((await lookupCounts(metrics))['l2/error']).toBeGreaterThanOrEqual(1);
    } finally {
      redis.thaw();
      await cache.close();
    }
  });
});
