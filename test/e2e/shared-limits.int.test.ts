import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../support/api.js';
import { TEST_SERVICES, serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const redisUp = await serviceAvailable('redis');

describe.skipIf(!redisUp)('rate limits shared by two processes through Redis', () => {
  // this run's own keys in the shared Redis; only they are deleted afterwards
  const namespace = `fgtest:${randomUUID()}`;
  // the whole deployment's namespace too (page cache, degradation switches): never another test's shops
  const env = { REDIS_URL: TEST_SERVICES.redis, REDIS_KEY_PREFIX: namespace, RATE_LIMIT_GUEST_PER_ADDRESS: '3/1h' };
  let shops: TestShop[] = [];

  beforeAll(async () => {
    shops = await Promise.all([startTestShop('pglite', env), startTestShop('pglite', env)]);
  });
  afterAll(async () => {
    await Promise.all(shops.map((s) => s.dispose()));
    const redis = new Redis(TEST_SERVICES.redis);
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('when one client address starts guest sessions on both processes, then the two together stop at the one limit', async () => {
    const [a, b] = shops.map((s) => createApi(s.url));
    const guest = (api: typeof a) => api!.post('/v1/auth/guest', undefined, { headers: { 'x-forwarded-for': '10.9.9.9' } });
    // both shops connected to Redis while starting (a command before that is counted by the process alone)
    const statuses = [];
    for (const api of [a, b, a]) statuses.push((await guest(api)).status);
    expect(statuses).toEqual([201, 201, 201]);
    const refusedOnB = await guest(b);
    expect(refusedOnB.status).toBe(429);
    expect(refusedOnB.headers.get('ratelimit')).toMatch(/^"guest-per-address";r=0;t=\d+$/);
    expect((await guest(a)).status).toBe(429);
    // a different address is counted apart, on either process
    expect((await b!.post('/v1/auth/guest', undefined, { headers: { 'x-forwarded-for': '10.9.9.10' } })).status).toBe(201);
  });
});
