import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../../test/support/databases.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../../../../test/support/private-redis.js';
import { TEST_SERVICES, serviceAvailable } from '../../../../test/support/services.js';
import type { Database } from '../../../platform/db/database.js';
import { closeRedisConnection, createRedisConnection } from '../../../platform/redis/redis-connection.js';
import { cartsMigrations } from '../index.js';
import { cartStoreContract } from './cart-store.contract-test.js';
import { createRedisCartWorkingCopy } from './redis-cart-working-copy.js';
import { createSqlCartSnapshots, type CartSnapshots } from './sql-cart-snapshots.js';
import { createSqlCartStore } from './sql-cart-store.js';
import { createWriteBackCartStore } from './write-back-cart-store.js';
import { deleteKeysUnder } from '../../../../test/support/redis-keys.js';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
const redisUp = await serviceAvailable('redis');
const connections: Redis[] = [];
const prefixes: Array<{ redis: Redis; prefix: string }> = [];

/** a connection to the shared Redis (or a private one); every test store works under its own random key prefix */
const connect = (url = TEST_SERVICES.redis) => {
  const redis = createRedisConnection({ url, name: 'carts-test', logger: { info: () => {}, warn: () => {} } });
  connections.push(redis);
  return redis;
};

const redisStore = (db: Database, redis: Redis, options: { prefix?: string; flushDelayMs?: number; snapshots?: CartSnapshots } = {}) => {
  const prefix = options.prefix ?? `fgtest:${randomUUID()}:`;
  prefixes.push({ redis, prefix });
  return createWriteBackCartStore({
    sql: createSqlCartStore(db),
    snapshots: options.snapshots ?? createSqlCartSnapshots(db),
    workingCopy: createRedisCartWorkingCopy({ redis, keyPrefix: prefix }),
    logger,
    flushDelayMs: options.flushDelayMs ?? 20,
  });
};

afterAll(async () => {
  // only this file's keys are deleted: the shared Redis is never flushed
  for (const { redis, prefix } of prefixes) {
    if (redis.status !== 'ready') continue;
    await deleteKeysUnder(redis, prefix);
  }
  for (const redis of connections) await closeRedisConnection(redis);
});

describe.skipIf(!postgres.available || !redisUp)('write-back over Redis and PostgreSQL', () => {
  cartStoreContract('write-back (redis over postgres)', async () => {
    const { db, dispose } = await postgres.create([cartsMigrations]);
    const store = redisStore(db, connect());
    return {
      store,
      dispose: async () => {
        await store.close();
        await dispose();
      },
    };
  });

  describe('flushing', () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await postgres.create([cartsMigrations]);
    });
    afterAll(() => tdb?.dispose());
    const inPostgres = (cartId: string) => createSqlCartSnapshots(tdb.db).load(cartId);

    it('when one cart takes 50 changes, then PostgreSQL gets far fewer writes and ends with the newest version', async () => {
      let writes = 0;
      const real = createSqlCartSnapshots(tdb.db);
      const store = redisStore(tdb.db, connect(), { flushDelayMs: 200, snapshots: { load: real.load, save: async (batch) => ((writes += batch.length), real.save(batch)) } });
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
      const variantId = uuidv7();
      for (let i = 0; i < 50; i++) await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 1, currency: 'USD' });
      // answered from Redis before PostgreSQL has it
      expect((await store.findForOwner(cart.id, ownerId))?.items).toEqual([expect.objectContaining({ quantity: 50 })]);
      await expect.poll(async () => (await inPostgres(cart.id))?.cart.items[0]?.quantity, { timeout: 5_000 }).toBe(50);
      expect(writes).toBeGreaterThan(0);
      expect(writes).toBeLessThan(10);
      await store.close();
    });

    it('when 40 carts change at once, then their write-back is one batch and each of its steps one Redis round trip, and every cart is in PostgreSQL', async () => {
      const redis = connect();
      let batches = 0;
      const real = createSqlCartSnapshots(tdb.db);
      const store = redisStore(tdb.db, redis, { flushDelayMs: 100, snapshots: { load: real.load, save: async (batch) => ((batches += 1), real.save(batch)) } });
      const carts = await Promise.all(Array.from({ length: 40 }, async () => {
        const ownerId = uuidv7();
        return { ownerId, cartId: (await store.create({ id: uuidv7(), ownerId, currency: null })).id };
      }));
      // counted from here: the flusher's commands, each a socket write unless it is in a pipeline
      // (the periodic look for due carts, one claim a tick however many carts, is left out: ticks vary with timing)
      const claim = readFileSync(new URL('./lua/carts-claim.lua', import.meta.url), 'utf8');
      const claimSha = createHash('sha1').update(claim).digest('hex');
      // by SHA, or as the script itself the first time this connection runs it
      const isClaim = (chunk: string) => chunk.includes(claimSha) || chunk.includes(claim.slice(0, 40));
      const writes: string[] = [];
      const write = redis.stream.write.bind(redis.stream);
      redis.stream.write = ((chunk: unknown, ...rest: never[]) => {
        if (!isClaim(String(chunk))) writes.push(String(chunk).slice(0, 40));
        return write(chunk as string, ...rest);
      }) as typeof redis.stream.write;
      await Promise.all(carts.map((c, i) => store.addItem({ ...c, itemId: uuidv7(), variantId: uuidv7(), quantity: i + 1, currency: 'USD' })));
      const changesWrote = writes.length;
      await expect.poll(async () => (await Promise.all(carts.map((c) => inPostgres(c.cartId)))).every((s, i) => s?.cart.items[0]?.quantity === i + 1), { timeout: 5_000 }).toBe(true);
      redis.stream.write = write;
      expect(batches).toBe(1);
      // read, then release: a write each for the 40 carts (it was 3 per cart, then 3, then 2 with the marks)
      expect(writes.length - changesWrote).toBe(2);
      await store.close();
    });

    it('when a cart is checked out or reopened (written through), then it leaves the due list and the periodic flush does not write it again', async () => {
      const redis = connect();
      const prefix = `fgtest:${randomUUID()}:`;
      const written: string[] = [];
      const real = createSqlCartSnapshots(tdb.db);
      // a flush delay far beyond the test: only the write-through can have written the cart
      const store = redisStore(tdb.db, redis, { prefix, flushDelayMs: 60_000, snapshots: { load: real.load, save: async (batch) => (written.push(...batch.map((b) => b.cart.status)), real.save(batch)) } });
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
      await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId: uuidv7(), quantity: 2, currency: 'USD' });
      const due = () => redis.zscore(`${prefix}carts:due`, cart.id);
      expect(await due()).not.toBeNull();

      const orderId = uuidv7();
      expect(await store.markCheckedOut(cart.id, orderId)).toBe(true);
      expect(written).toEqual(['checked_out']);
      expect(await due()).toBeNull();
      expect((await inPostgres(cart.id))?.cart).toMatchObject({ status: 'checked_out', orderId, items: [expect.objectContaining({ quantity: 2 })] });

      await store.reopen(cart.id, orderId);
      expect(written).toEqual(['checked_out', 'open']);
      expect(await due()).toBeNull();
      // and a change after the write-through is due again, to be written by the flush
      await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId: uuidv7(), quantity: 1, currency: 'USD' });
      expect(await due()).not.toBeNull();
      await store.close();
      expect(written).toEqual(['checked_out', 'open', 'open']);
      expect((await inPostgres(cart.id))?.cart.items).toHaveLength(2);
    });

    it('when an older snapshot arrives after a newer one, then PostgreSQL keeps the newer', async () => {
      const snapshots = createSqlCartSnapshots(tdb.db);
      const store = createSqlCartStore(tdb.db);
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: 'USD' });
      const line = (quantity: number) => [{ id: uuidv7(), variantId: uuidv7(), quantity, addedAt: new Date() }];
      expect(await snapshots.save([{ cart: { ...cart, items: line(7) }, version: 20 }])).toBe(1);
      expect(await snapshots.save([{ cart: { ...cart, items: line(3) }, version: 10 }])).toBe(0);
      expect((await inPostgres(cart.id))?.cart.items).toEqual([expect.objectContaining({ quantity: 7 })]);
    });

    it('when a cart changes while its write is in flight, then it stays due and the newer version is written next', async () => {
      const real = createSqlCartSnapshots(tdb.db);
      let release: () => void = () => {};
      let inFlight: () => void = () => {};
      const started = new Promise<void>((resolve) => (inFlight = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      let saves = 0;
      const snapshots: CartSnapshots = {
        load: real.load,
        save: async (batch) => {
          saves += 1;
          if (saves === 1) {
            inFlight();
            await gate;
          }
          return real.save(batch);
        },
      };
      const store = redisStore(tdb.db, connect(), { snapshots });
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
      const variantId = uuidv7();
      await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 1, currency: 'USD' });
      await started;
      await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 1, currency: 'USD' });
      release();
      await expect.poll(async () => (await inPostgres(cart.id))?.cart.items[0]?.quantity, { timeout: 5_000 }).toBe(2);
      await store.close();
    });

    it('when 40 adds of one variant race through two processes, then the quantity is exact in Redis and then in PostgreSQL', async () => {
      const prefix = `fgtest:${randomUUID()}:`;
      const a = redisStore(tdb.db, connect(), { prefix });
      const b = redisStore(tdb.db, connect(), { prefix });
      const ownerId = uuidv7();
      const cart = await a.create({ id: uuidv7(), ownerId, currency: null });
      const variantId = uuidv7();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 2, currency: 'USD' })));
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await b.findForOwner(cart.id, ownerId))?.items).toEqual([expect.objectContaining({ quantity: 80 })]);
      await expect.poll(async () => (await inPostgres(cart.id))?.cart.items[0]?.quantity, { timeout: 5_000 }).toBe(80);
      await a.close();
      await b.close();
    });
  });

  describe.skipIf(!privateRedisAvailable())('when Redis loses everything', () => {
    let tdb: TestDatabase;
    let redis: PrivateRedis;
    beforeAll(async () => {
      tdb = await postgres.create([cartsMigrations]);
      redis = await startPrivateRedis();
    });
    afterAll(async () => {
      await redis?.[Symbol.asyncDispose]();
      await tdb?.dispose();
    });

    it('when Redis is down, then cart reads and changes are refused as unavailable (nothing changed), carts can still be created, and all works again once it is back', async () => {
      const store = redisStore(tdb.db, connect(redis.url));
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
      await redis.kill();
      const variantId = uuidv7();
      await expect(store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 1, currency: 'USD' })).rejects.toMatchObject({ code: 'CARTS_UNAVAILABLE', kind: 'unavailable' });
      await expect(store.findForOwner(cart.id, ownerId)).rejects.toMatchObject({ code: 'CARTS_UNAVAILABLE' });
      const created = await store.create({ id: uuidv7(), ownerId, currency: null });
      expect(created).toMatchObject({ ownerId, status: 'open' });
      await redis.restart();
      await expect.poll(async () => (await store.addItem({ cartId: created.id, ownerId, itemId: uuidv7(), variantId, quantity: 1, currency: 'USD' }).catch(() => null))?.ok, { timeout: 10_000 }).toBe(true);
      expect((await store.findForOwner(cart.id, ownerId))?.items).toEqual([]);
      await store.close();
    });

    it('when Redis is flushed and then restarted empty, then every written cart is rebuilt from PostgreSQL and takes changes again', async () => {
      const store = redisStore(tdb.db, connect(redis.url));
      const ownerId = uuidv7();
      const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
      const variantId = uuidv7();
      await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 2, currency: 'USD' });
      await expect.poll(async () => (await createSqlCartSnapshots(tdb.db).load(cart.id))?.cart.items.length, { timeout: 5_000 }).toBe(1);

      await redis.flush();
      expect(await redis.command('DBSIZE')).toBe(':0');
      expect(await store.findForOwner(cart.id, ownerId)).toMatchObject({ currency: 'USD', items: [{ variantId, quantity: 2 }] });

      await redis.restart();
      // the connection reconnects by itself; the first reads after the restart may fail fast, then succeed
      await expect.poll(async () => (await store.findForOwner(cart.id, ownerId).catch(() => null))?.items, { timeout: 10_000 }).toEqual([expect.objectContaining({ variantId, quantity: 2 })]);
      const added = await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 3, currency: 'USD' });
      expect(added).toMatchObject({ ok: true, cart: { items: [{ variantId, quantity: 5 }] } });
      await expect.poll(async () => (await createSqlCartSnapshots(tdb.db).load(cart.id))?.cart.items[0]?.quantity, { timeout: 5_000 }).toBe(5);
      await store.close();
    });
  });
});
