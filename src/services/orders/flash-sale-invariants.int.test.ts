import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { TEST_SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { createRedisCounterStore } from '../../platform/counters/redis-counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../../platform/redis/redis-connection.js';
import { runRound } from './flash-sale-invariants.test-support.js';
import { createFlashShop, type FlashShop } from './flash-shop.test-support.js';
import { deleteKeysUnder } from '../../../test/support/redis-keys.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
const redisUp = await serviceAvailable('redis');
const SEEDS = Array.from({ length: 20 }, (_, i) => 2_000 + i * 104_729);
const silent = { info: () => {}, warn: () => {} };
// the shared Redis: this file works under its own random prefix and deletes only those keys
const PREFIX = `fgtest:flash-orders:${randomUUID()}:`;

describe.skipIf(!postgres.available || !redisUp)('flash sale invariants, Redis counters and PostgreSQL', () => {
  let shop: FlashShop;
  let redis: Redis;
  beforeAll(async () => {
    redis = createRedisConnection({ url: TEST_SERVICES.redis, name: 'flash-invariants-test', logger: silent });
    shop = await createFlashShop(postgres, createRedisCounterStore({ redis, keyPrefix: PREFIX }));
  });
  afterAll(async () => {
    await shop?.dispose();
    if (!redis) return;
    await deleteKeysUnder(redis, PREFIX);
    await closeRedisConnection(redis);
  });

  it.each(SEEDS)('when many more customers than units join, reserve, pay, are declined or walk away (seed %i), then no unit is oversold, lost or over the limit', async (seed) => {
    const { paid } = await runRound(shop, { seed, stock: 6, customers: 25, limit: 2, maxTicks: 150 });
    expect(paid).toBeGreaterThan(0);
  }, 60_000);
});
