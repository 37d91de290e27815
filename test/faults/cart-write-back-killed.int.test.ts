import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type Database } from '../../src/platform/db/database.js';
import { migrateAll } from '../../src/platform/db/migrate.js';
import { closeRedisConnection, createRedisConnection } from '../../src/platform/redis/redis-connection.js';
import { cartsMigrations, createRedisCartWorkingCopy } from '../../src/services/carts/index.js';
import { createSqlCartSnapshots } from '../../src/services/carts/storage/sql-cart-snapshots.js';
import { createSqlCartStore } from '../../src/services/carts/storage/sql-cart-store.js';
import { createWriteBackCartStore } from '../../src/services/carts/storage/write-back-cart-store.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { serviceAvailable } from '../support/services.js';

const FIXTURE = fileURLToPath(new URL('../support/cart-writer-process.ts', import.meta.url));
const ready = (await serviceAvailable('postgres')) && privateRedisAvailable();
const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

interface Writer {
  child: ChildProcess;
  output(): string;
  /** resolves when the fixture printed `line` */
  printed(line: string): Promise<void>;
}

function startWriter(env: Record<string, string>): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
    for (const l of listeners.splice(0)) l();
  });
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`the writer exited (${code ?? signal}):\n${output}`))));
  exited.catch(() => {});
  const printed = (line: string) =>
    Promise.race([
      exited,
      new Promise<void>((resolve) => {
        const check = () => (output.split('\n').some((l) => l.startsWith(line)) ? resolve() : listeners.push(check));
        check();
      }),
    ]);
  return { child, output: () => output, printed };
}

const killHard = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.skipIf(!ready)('fault: a process killed (kill -9) between a cart change and its write to PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let redis: PrivateRedis;
  const writers: ChildProcess[] = [];
  beforeAll(async () => {
    database = await createPostgresTestDatabaseUrl();
    db = await createPostgresDatabase({ connectionString: database.url, maxConnections: 4 });
    await migrateAll(db, [cartsMigrations]);
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    for (const child of writers) await killHard(child);
    await redis?.[Symbol.asyncDispose]();
    await db?.close();
    await database?.drop();
  });

  const newCart = async () => {
    const ownerId = uuidv7();
    const cart = await createSqlCartStore(db).create({ id: uuidv7(), ownerId, currency: null });
    return { cartId: cart.id, ownerId, variantId: uuidv7() };
  };
  const inPostgres = async (cartId: string) => (await createSqlCartSnapshots(db).load(cartId))!.cart;

  it('when the working copy is Redis, then the acknowledged change survives in Redis and another process writes it to PostgreSQL', { timeout: 60_000 }, async () => {
    const c = await newCart();
    const keyPrefix = `fgtest:${randomUUID()}:`;
    // the writer's changes are due 3 s after they are made: the kill lands well before that
    const writer = startWriter({ DATABASE_URL: database.url, REDIS_URL: redis.url, KEY_PREFIX: keyPrefix, FLUSH_DELAY_MS: '3000', CART_ID: c.cartId, OWNER_ID: c.ownerId, VARIANT_ID: c.variantId });
    writers.push(writer.child);
    await writer.printed('ACKED true');
    await killHard(writer.child);
    expect((await inPostgres(c.cartId)).items).toEqual([]);

    // the next process (this one): reads the newest cart from Redis at once, and its flusher writes what the dead one left due
    const connection = createRedisConnection({ url: redis.url, name: 'carts-after-kill', logger });
    const store = createWriteBackCartStore({ sql: createSqlCartStore(db), snapshots: createSqlCartSnapshots(db), workingCopy: createRedisCartWorkingCopy({ redis: connection, keyPrefix }), logger, flushDelayMs: 50 });
    try {
      store.flusher.start();
      expect((await store.findForOwner(c.cartId, c.ownerId))?.items).toEqual([expect.objectContaining({ variantId: c.variantId, quantity: 2 })]);
      await expect.poll(async () => (await inPostgres(c.cartId)).items, { timeout: 15_000 }).toEqual([expect.objectContaining({ variantId: c.variantId, quantity: 2 })]);
    } finally {
      await store.close();
      await closeRedisConnection(connection);
    }
  });

  it('when the working copy is in memory, then a change not yet written was never acknowledged, and the cart is as PostgreSQL had it', { timeout: 60_000 }, async () => {
    const c = await newCart();
    // the write is due in an hour: the change sits in the process's memory, applied but unanswered
    const writer = startWriter({ DATABASE_URL: database.url, FLUSH_DELAY_MS: '3600000', CART_ID: c.cartId, OWNER_ID: c.ownerId, VARIANT_ID: c.variantId });
    writers.push(writer.child);
    await writer.printed('APPLIED');
    await killHard(writer.child);
    expect(writer.output()).not.toContain('ACKED');
    // the change was refused in effect (no answer, nothing written): not acknowledged and then lost
    expect((await inPostgres(c.cartId)).items).toEqual([]);
  });
});
