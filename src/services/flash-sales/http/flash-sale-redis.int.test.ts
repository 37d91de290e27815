import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { serviceAvailable, TEST_SERVICES } from '../../../../test/support/services.js';
import { createRedisCounterStore } from '../../../platform/counters/redis-counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../../../platform/redis/redis-connection.js';
import { createFlashSalesRig, type FlashSalesRig } from '../flash-sales-rig.test-support.js';
import { deleteKeysUnder } from '../../../../test/support/redis-keys.js';

const redisAvailable = await serviceAvailable('redis');
const [pglite] = await databaseAdapters();

// the waiting room and reservations on the Redis counter store (Lua scripts), under a random key
// prefix on the shared Redis: only this file's keys are ever deleted
describe.skipIf(!redisAvailable)('flash sale on the Redis counter store', () => {
  const prefix = `fgtest:${randomUUID()}:`;
  let redis: Redis;
  let rig: FlashSalesRig;
  beforeAll(async () => {
    redis = createRedisConnection({ url: TEST_SERVICES.redis, name: 'flash-sales-test', logger: { info: () => {}, warn: () => {} } });
    rig = await createFlashSalesRig(pglite!, { counters: createRedisCounterStore({ redis, keyPrefix: prefix }) });
  });
  afterAll(async () => {
    await rig?.dispose();
    if (!redis) return;
    await deleteKeysUnder(redis, prefix);
    await closeRedisConnection(redis);
  });

  it('when customers join, are admitted and reserve, then the same ticket, the same reservation per key, 422 for a reused key, and sold out at the end', async () => {
    const { saleId } = await rig.liveSale({ quantity: 2 });
    const [ada, bob] = [rig.customer(), rig.customer()];
    const first = (await rig.join(ada, saleId)).json();
    expect((await rig.join(ada, saleId)).json()).toEqual(first);
    const adaToken = await rig.admit(ada, saleId);
    const bobToken = await rig.admit(bob, saleId);
    const reserved = await rig.reserve(ada, saleId, { admission: adaToken, key: 'redis-key-0001', quantity: 2 });
    expect(reserved.statusCode).toBe(201);
    expect((await rig.reserve(ada, saleId, { admission: adaToken, key: 'redis-key-0001', quantity: 2 })).json()).toEqual(reserved.json());
    expect((await rig.reserve(ada, saleId, { admission: adaToken, key: 'redis-key-0001', quantity: 1 })).statusCode).toBe(422);
    expect((await rig.reserve(bob, saleId, { admission: bobToken })).json()).toMatchObject({ code: 'FLASH_SALE_SOLD_OUT' });
    expect(await rig.snapshot(saleId)).toMatchObject({ available: 0, held: 2 });
    expect(await rig.rows()).toMatchObject({ reservations: 1 });
  });

  it('when the scope is lost, then 503 FLASH_SALE_UNAVAILABLE until it is loaded again', async () => {
    const { saleId } = await rig.liveSale();
    const ada = rig.customer();
    const admission = await rig.admit(ada, saleId);
    await rig.counters.drop(saleId);
    expect((await rig.reserve(ada, saleId, { admission })).json()).toMatchObject({ code: 'FLASH_SALE_UNAVAILABLE' });
    expect((await rig.join(rig.customer(), saleId)).statusCode).toBe(503);
  });
});
