import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { DEFAULT_LIMIT_SETTINGS } from '../rate-limits/limit-catalogue.js';
import type { RateLimiter, RateLimiterStore } from '../rate-limits/rate-limiter.js';
import { createRedisRateLimiterStore } from '../rate-limits/redis-rate-limiter-store.js';
import { closeRedisConnection, createRedisConnection } from '../redis/redis-connection.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';

const available = await serviceAvailable('redis');
const silent = { info: () => {}, warn: () => {} };
const redis: Redis | undefined = available ? createRedisConnection({ url: TEST_SERVICES.redis, name: 'rate-limiting-http-test', logger: silent }) : undefined;
const keyPrefix = `fgtest:${randomUUID()}:rl`;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await closeRedisConnection(redis);
});

/** the Redis store, counting the consumes its limiters are asked (each one a round trip) */
function countedStore(store: RateLimiterStore) {
  const calls = { consume: 0 };
  const counted: RateLimiterStore = {
    ...store,
    limiter: (name, policy) => {
      const inner = store.limiter(name, policy);
      return { ...inner, consume: (key, points) => ((calls.consume += 1), inner.consume(key, points)) } satisfies RateLimiter;
    },
  };
  return { store: counted, calls };
}

describe.skipIf(!available)('request limits over HTTP on Redis (leased)', () => {
  it('when a customer writes past a limit of 40, then exactly 40 are answered, RateLimit counts down by one, the 41st and later are 429 without their handler, and Redis is asked once per lease of 4', async () => {
    const { store, calls } = countedStore(createRedisRateLimiterStore({ redis: redis!, keyPrefix }));
    const handled: string[] = [];
    const app = await createHttpApp({
      logger: createLogger({ service: 'rate-limit-redis-test', level: 'silent', pretty: false }),
      metrics: createMetrics('rate_limit_redis_test'),
      authenticate: async ({ bearer }) => (bearer ? { customerId: bearer, role: 'customer', via: 'token' } : null),
      readinessChecks: {},
      rateLimits: { store, settings: { ...DEFAULT_LIMIT_SETTINGS, limits: { ...DEFAULT_LIMIT_SETTINGS.limits, 'cart-write-per-customer': { points: 40, durationSeconds: 60 } } } },
      modules: [{ name: 'limited', client: {}, routes: (a) => void a.post('/v1/cart-write', { config: { auth: 'any', rateLimit: 'cart-write-per-customer' } }, async () => (handled.push('cart'), { ok: true })) }],
    });
    try {
      const customer = `customer-${randomUUID()}`;
      const answers = [];
      for (let i = 0; i < 45; i++) answers.push(await app.inject({ method: 'POST', url: '/v1/cart-write', headers: { authorization: `Bearer ${customer}` } }));
      expect(answers.map((a) => a.statusCode)).toEqual([...Array<number>(40).fill(200), ...Array<number>(5).fill(429)]);
      // the reset is whole seconds left in the window: 60 at first, less on a slow run
      const remaining = answers.slice(0, 40).map((a) => /^"cart-write-per-customer";r=(\d+);t=(\d+)$/.exec(String(a.headers.ratelimit)));
      expect(remaining.map((m) => Number(m?.[1]))).toEqual(Array.from({ length: 40 }, (_, i) => 39 - i));
      expect(remaining.every((m) => Number(m?.[2]) > 0 && Number(m?.[2]) <= 60)).toBe(true);
      expect(answers[40]!.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(answers[44]!.headers['retry-after']).toMatch(/^\d+$/);
      expect(handled).toHaveLength(40);
      // ten leases of four, then the one that found the limit spent; the refusals after it are answered here
      expect(calls.consume).toBe(11);
      // another customer has a count of its own
      expect((await app.inject({ method: 'POST', url: '/v1/cart-write', headers: { authorization: 'Bearer someone-else' } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
