import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { closeRedisConnection, createRedisConnection } from '../redis/redis-connection.js';
import { createRateLimiterStore } from './create-rate-limiter-store.js';
import { rateLimiterContract } from './rate-limiter.contract-test.js';
import { leasedLimiter } from './leased-limiter.js';
import { createRedisRateLimiterStore } from './redis-rate-limiter-store.js';

const available = await serviceAvailable('redis');
const silent = { info: () => {}, warn: () => {} };
// the shared Redis: every store works under its own random key prefix, and only those keys are ever deleted
const redis: Redis | undefined = available ? createRedisConnection({ url: TEST_SERVICES.redis, name: 'rate-limits-test', logger: silent }) : undefined;
const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `fgtest:${randomUUID()}:rl`;
  prefixes.push(prefix);
  return prefix;
};

afterAll(async () => {
  if (!redis) return;
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await closeRedisConnection(redis);
});

describe.skipIf(!available)('redis rate limits', () => {
  rateLimiterContract('redis', () => createRedisRateLimiterStore({ redis: redis!, keyPrefix: newPrefix() }));

  it('when two processes (two connections) use one limit, then they share its points', async () => {
    const keyPrefix = newPrefix();
    const other = createRedisConnection({ url: TEST_SERVICES.redis, name: 'rate-limits-test-2', logger: silent });
    try {
      // a connection that is not ready yet is answered by the per-process insurance limiter: wait for both
      await Promise.all([redis!.ping(), other.ping()]);
      const a = createRedisRateLimiterStore({ redis: redis!, keyPrefix }).limiter('shared', { points: 4, durationSeconds: 60 });
      const b = createRedisRateLimiterStore({ redis: other, keyPrefix }).limiter('shared', { points: 4, durationSeconds: 60 });
      const states = await Promise.all([a, b, a, b, a, b].map((l) => l.consume('customer-1')));
      expect(states.filter((s) => s.allowed)).toHaveLength(4);
    } finally {
      await closeRedisConnection(other);
    }
  });

  it('when two processes lease a limit of 200 from Redis and 600 requests race over both, then together they get no more than 200 and at most a tenth fewer, with a round trip per lease', async () => {
    const keyPrefix = newPrefix();
    const other = createRedisConnection({ url: TEST_SERVICES.redis, name: 'rate-limits-test-3', logger: silent });
    try {
      await Promise.all([redis!.ping(), other.ping()]);
      let roundTrips = 0;
      const process = (connection: Redis) => {
        const inner = createRedisRateLimiterStore({ redis: connection, keyPrefix }).limiter('leased', { points: 200, durationSeconds: 60 });
        return leasedLimiter({ ...inner, consume: (key, points) => ((roundTrips += 1), inner.consume(key, points)) });
      };
      const [a, b] = [process(redis!), process(other)];
      const states = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? b : a).consume('customer-1')));
      const allowed = states.filter((s) => s.allowed).length;
      expect(allowed).toBeLessThanOrEqual(200);
      expect(allowed).toBeGreaterThanOrEqual(180);
      // 20-point leases: ten for the window, and a refused one per process
      expect(roundTrips).toBeLessThanOrEqual(12);
    } finally {
      await closeRedisConnection(other);
    }
  });

  it('when Redis cannot be reached, then each process limits on its own instead of failing or letting everything through', async () => {
    // nothing listens on port 1: the connection is never ready, so the in-memory insurance limiter answers
    const store = createRateLimiterStore({ redisUrl: 'redis://127.0.0.1:1', logger: silent, keyPrefix: newPrefix() });
    try {
      expect(store.kind).toBe('redis');
      const limit = store.limiter('offline', { points: 2, durationSeconds: 60 });
      const states = [await limit.consume('k'), await limit.consume('k'), await limit.consume('k')];
      expect(states.map((s) => s.allowed)).toEqual([true, true, false]);
    } finally {
      await store.close();
    }
  });

  it('when Redis is away under a crowd of new clients, then the fallback remembers no more than its byte budget', async () => {
    const memoryBytesPerLimit = 16 * 1024;
    const store = createRateLimiterStore({ redisUrl: 'redis://127.0.0.1:1', logger: silent, keyPrefix: newPrefix(), memoryBytesPerLimit });
    try {
      const limit = store.limiter('offline-crowd', { points: 60, durationSeconds: 3_600 });
      for (let i = 0; i < 2_000; i += 1) await limit.consume(`10.2.${i >> 8}.${i & 255}`);
      const [usage] = store.usage();
      expect(usage!.bytes).toBeLessThanOrEqual(memoryBytesPerLimit);
      expect(usage!.keys).toBeGreaterThan(0);
      expect(usage!.keys).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });
});
