import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisCounterStore } from '../../src/platform/counters/redis-counter-store.js';
import { closeRedisConnection, createRedisConnection } from '../../src/platform/redis/redis-connection.js';
import { createFlashShop, type FlashShop } from '../../src/services/orders/flash-shop.test-support.js';
import { databaseAdapters } from '../support/databases.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
const redisServer = privateRedisAvailable();
const silent = { info: () => {}, warn: () => {} };
const STOCK = 8;

/**
 * Redis lost in the middle of a sale, twice: flushed (every key gone, server up), then killed and
 * restarted empty. The sale's own Redis is a private redis-server on a free port; the shared one is
 * never touched. PostgreSQL is the truth the reconciler rebuilds from.
 */
describe.skipIf(!postgres.available || !redisServer)('Redis lost mid-sale', () => {
  let redis: PrivateRedis;
  let connection: Redis;
  let shop: FlashShop;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    connection = createRedisConnection({ url: redis.url, name: 'redis-lost-test', logger: silent, commandTimeoutMs: 500, connectTimeoutMs: 500 });
    shop = await createFlashShop(postgres, createRedisCounterStore({ redis: connection, keyPrefix: 'fault:' }));
  }, 60_000);
  afterAll(async () => {
    await shop?.dispose();
    if (connection) await closeRedisConnection(connection);
    await redis?.stop();
  });

  it('when Redis is flushed and then killed during a sale, then nothing is oversold, the sale answers 503 meanwhile (never 500), resumes after reconciliation and every acknowledged order ends final', async () => {
    const { saleId, variantId } = await shop.liveSale({ quantity: STOCK, perCustomerLimit: 1 });
    const orders: string[] = [];
    const buy = async (paymentToken = 'tok_visa') => {
      const customer = shop.customer();
      const placed = await shop.checkout(customer, await shop.reservation(customer, saleId), { paymentToken });
      expect(placed.statusCode).toBe(202);
      orders.push(placed.json().orderId);
    };
    const truth = async () => {
      const units = await shop.units(saleId);
      return { available: STOCK - units.held - units.ordered - units.sold, held: units.held, sold: units.ordered + units.sold };
    };
    const refusedWhileLost = async (admitted: { customer: string; admission: string }) => {
      const answers = [await shop.join(shop.customer(), saleId), await shop.reserve(admitted.customer, saleId, admitted.admission)];
      for (const res of answers) {
        expect(res.statusCode, res.body).toBe(503);
        expect(res.json()).toMatchObject({ code: 'FLASH_SALE_UNAVAILABLE' });
        expect(res.headers['retry-after']).toBeDefined();
      }
    };

    await buy();
    await buy('tok_declined');
    await buy();
    const waiting = shop.customer();
    const admitted = { customer: waiting, admission: await shop.admit(waiting, saleId) };
    const holder = shop.customer();
    const heldReservation = await shop.reservation(holder, saleId);

    // 1. flushed: the scope is gone, the server answers
    await redis.flush();
    expect(await shop.counters.snapshot(saleId)).toBeNull();
    await refusedWhileLost(admitted);
    expect(await shop.flashSales.reconcileNow()).toBe(1);
    const rebuilt = await shop.counters.snapshot(saleId);
    expect({ available: rebuilt?.available, held: rebuilt?.held, sold: rebuilt?.sold }).toEqual(await truth());
    await shop.settle();
    await buy();

    // 2. killed: every counter command fails; a checkout of a reservation made before still commits
    await redis.kill();
    await refusedWhileLost(admitted);
    const duringOutage = await shop.checkout(holder, heldReservation);
    expect(duringOutage.statusCode).toBe(202);
    orders.push(duringOutage.json().orderId);
    await expect(shop.flashSales.reconcileNow()).resolves.toBe(0);

    // 3. back, empty: the reconciler rebuilds from PostgreSQL and the sale goes on
    await redis.restart();
    await expect.poll(async () => (await shop.flashSales.reconcileNow().catch(() => 0)) + ((await shop.counters.snapshot(saleId).catch(() => null)) ? 1 : 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await shop.settle();
    const back = await shop.counters.snapshot(saleId);
    expect({ available: back?.available, held: back?.held, sold: back?.sold }).toEqual(await truth());
    while (((await shop.counters.snapshot(saleId))?.available ?? 0) > 0) await buy();
    await shop.settle();

    // every acknowledged order is final, and the sale sold exactly its stock
    for (const orderId of orders) expect(['paid', 'payment_failed']).toContain(await shop.orderStatus(orderId));
    const paid = [...(await shop.paidUnits(variantId)).values()].reduce((a, b) => a + b, 0);
    expect(paid).toBe(STOCK);
    const final = await shop.counters.snapshot(saleId);
    expect({ available: final?.available, held: final?.held, sold: final?.sold }).toEqual(await truth());
    const inventory = await shop.inventoryUnits(saleId);
    expect(inventory).toEqual({ allocation: 0, carvedHeld: 0, carvedCommitted: STOCK });
  }, 120_000);
});
