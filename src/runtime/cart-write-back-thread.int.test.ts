import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabaseUrl } from '../../test/support/databases.js';
import { deleteKeysUnder } from '../../test/support/redis-keys.js';
import { TEST_SERVICES, serviceAvailable } from '../../test/support/services.js';
import { loadConfig } from '../config.js';
import { createPostgresDatabase } from '../platform/db/database.js';
import { migrateAll } from '../platform/db/migrate.js';
import { closeRedisConnection, createRedisConnection } from '../platform/redis/redis-connection.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { cartsMigrations, createMemoryCartWorkingCopy, createRedisCartWorkingCopy } from '../services/carts/index.js';
import { createSqlCartSnapshots } from '../services/carts/storage/sql-cart-snapshots.js';
import { createSqlCartStore } from '../services/carts/storage/sql-cart-store.js';
import { createWriteBackCartStore } from '../services/carts/storage/write-back-cart-store.js';
import { cartWriteBackThread } from './cart-write-back-thread.js';

const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));
const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

describe.skipIf(!ready)('the carts write-back on a thread of its own (CARTS_WRITE_BACK_THREAD)', () => {
  const prefix = `fgtest-thread-${randomUUID()}`;
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('when carts change in Redis here, then the thread writes them to PostgreSQL, counts them in this process\'s /metrics, and drains at its stop', async () => {
    const database = await createPostgresTestDatabaseUrl();
    cleanups.push(() => database.drop());
    const db = await createPostgresDatabase({ connectionString: database.url, maxConnections: 4 });
    cleanups.push(() => db.close());
    await migrateAll(db, [cartsMigrations]);
    const redis = createRedisConnection({ url: TEST_SERVICES.redis, name: 'carts-test', logger });
    cleanups.push(async () => {
      await deleteKeysUnder(redis, `${prefix}:`);
      await closeRedisConnection(redis);
    });

    const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL: TEST_SERVICES.redis, REDIS_KEY_PREFIX: prefix, CARTS_FLUSH_INTERVAL_MS: '20', LOG_LEVEL: 'warn' });
    const metrics = createMetrics('floodgate');
    const workingCopy = createRedisCartWorkingCopy({ redis, keyPrefix: `${prefix}:` });
    const thread = cartWriteBackThread(config, workingCopy, logger, metrics);
    expect(thread).toBeDefined();
    // this process only changes carts: the thread is the one that writes them back
    const store = createWriteBackCartStore({
      sql: createSqlCartStore(db),
      snapshots: createSqlCartSnapshots(db),
      workingCopy,
      logger,
      flushDelayMs: 20,
      flushHere: false,
    });
    const inPostgres = async (cartId: string) => (await createSqlCartSnapshots(db).load(cartId))?.cart.items.map((i) => i.quantity);

    const cart = await store.create({ id: uuidv7(), ownerId: uuidv7(), currency: null });
    const variantId = uuidv7();
    await store.addItem({ cartId: cart.id, ownerId: cart.ownerId, itemId: uuidv7(), variantId, quantity: 2, currency: 'USD' });
    thread!.start();
    await expect.poll(() => inPostgres(cart.id), { timeout: 10_000 }).toEqual([2]);
    await expect.poll(() => metrics.exposition(), { timeout: 5_000 }).toMatch(/^floodgate_cart_flushes_total\{outcome="written",service="floodgate"\} [1-9]/m);

    // a change made just before the stop is in PostgreSQL once the stop returns (its drain), not left for a later process
    await store.addItem({ cartId: cart.id, ownerId: cart.ownerId, itemId: uuidv7(), variantId, quantity: 3, currency: 'USD' });
    await thread!.stop();
    expect(thread!.running()).toBe(false);
    expect(await inPostgres(cart.id)).toEqual([5]);
    await store.close();
  });

  it('when the working copy is this process\'s memory or none, the database embedded, or the setting off, then there is no thread', async () => {
    const metrics = createMetrics('floodgate');
    const both = { DATABASE_URL: 'postgres://127.0.0.1/x', REDIS_URL: TEST_SERVICES.redis };
    const redis = createRedisConnection({ url: TEST_SERVICES.redis, name: 'carts-test', logger });
    cleanups.push(() => closeRedisConnection(redis));
    const inRedis = createRedisCartWorkingCopy({ redis, keyPrefix: `${prefix}:` });
    // Redis, PostgreSQL and the setting on: the one case with a thread (not started here)
    expect(cartWriteBackThread(loadConfig(both), inRedis, logger, metrics)).toBeDefined();
    expect(cartWriteBackThread(loadConfig(both), createMemoryCartWorkingCopy(), logger, metrics)).toBeUndefined();
    expect(cartWriteBackThread(loadConfig(both), undefined, logger, metrics)).toBeUndefined();
    expect(cartWriteBackThread(loadConfig({ REDIS_URL: TEST_SERVICES.redis }), inRedis, logger, metrics)).toBeUndefined();
    expect(cartWriteBackThread(loadConfig({ ...both, CARTS_WRITE_BACK_THREAD: 'off' }), inRedis, logger, metrics)).toBeUndefined();
  });
});
