import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedPglite } from '../../../../test/support/databases.js';
import type { Database } from '../../../platform/db/database.js';
import { cartsMigrations } from '../index.js';
import { cartStoreContract } from './cart-store.contract-test.js';
import { createMemoryCartWorkingCopy } from './memory-cart-working-copy.js';
import { createSqlCartSnapshots, type CartSnapshots } from './sql-cart-snapshots.js';
import { createSqlCartStore } from './sql-cart-store.js';
import { createWriteBackCartStore } from './write-back-cart-store.js';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

/** the all-in-one's store: memory working copy, group commit, PGlite */
const memoryStore = (db: Database, options: { flushDelayMs?: number; snapshots?: CartSnapshots } = {}) =>
  createWriteBackCartStore({
    sql: createSqlCartStore(db),
    snapshots: options.snapshots ?? createSqlCartSnapshots(db),
    workingCopy: createMemoryCartWorkingCopy(),
    logger,
    flushDelayMs: options.flushDelayMs ?? 0,
  });

cartStoreContract('write-back (memory over pglite)', async () => {
  const db = await createMigratedPglite([cartsMigrations]);
  const store = memoryStore(db);
  return {
    store,
    dispose: async () => {
      await store.close();
      await db.close();
    },
  };
});

describe('write-back cart store in memory', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createMigratedPglite([cartsMigrations]);
  });

  it('when the write-back is asked to run elsewhere, then it is refused: carts in memory are this process\'s alone', () => {
    expect(() => createWriteBackCartStore({ sql: createSqlCartStore(db), snapshots: createSqlCartSnapshots(db), workingCopy: createMemoryCartWorkingCopy(), logger, flushDelayMs: 0, flushHere: false })).toThrow(/memory/);
  });
  afterAll(() => db?.close());

  /** what PostgreSQL holds, read past any working copy */
  const inPostgres = (cartId: string) => createSqlCartSnapshots(db).load(cartId);

  it('when a change is answered, then PostgreSQL holds it already (a process that dies later loses nothing it acknowledged)', async () => {
    const store = memoryStore(db);
    const ownerId = uuidv7();
    const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
    const variantId = uuidv7();
    const added = await store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 3, currency: 'USD' });
    expect(added.ok).toBe(true);
    expect((await inPostgres(cart.id))?.cart.items).toEqual([expect.objectContaining({ variantId, quantity: 3 })]);
    await store.close();
  });

  it('when the flush has not happened, then the change is not acknowledged; when it fails, the change is refused and PostgreSQL is the cart again', async () => {
    const real = createSqlCartSnapshots(db);
    let failNext = false;
    const snapshots: CartSnapshots = {
      load: real.load,
      save: async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('PostgreSQL went away');
        }
        return real.save(batch);
      },
    };
    // a long delay: the flush comes only when the test asks for it
    const store = memoryStore(db, { flushDelayMs: 3_600_000, snapshots });
    const ownerId = uuidv7();
    const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
    let answered = false;
    const pending = store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId: uuidv7(), quantity: 1, currency: 'USD' }).then((r) => {
      answered = true;
      return r;
    });
    // the change is in the working copy (a read sees it) but its request has no answer yet
    await expect.poll(async () => (await store.findForOwner(cart.id, ownerId))?.items.length).toBe(1);
    expect(answered).toBe(false);
    expect((await inPostgres(cart.id))?.cart.items).toEqual([]);

    failNext = true;
    await store.flusher.stop();
    await expect(pending).rejects.toThrow('PostgreSQL went away');
    // refused, not kept: the next read comes from PostgreSQL
    expect((await store.findForOwner(cart.id, ownerId))?.items).toEqual([]);
    await store.close();
  });

  it('when 40 adds to one cart arrive at once, then each is counted once and they take fewer PostgreSQL writes than changes', async () => {
    let writes = 0;
    const real = createSqlCartSnapshots(db);
    const store = memoryStore(db, { snapshots: { load: real.load, save: async (batch) => ((writes += batch.length), real.save(batch)) } });
    const ownerId = uuidv7();
    const cart = await store.create({ id: uuidv7(), ownerId, currency: null });
    const variantId = uuidv7();
    const results = await Promise.all(Array.from({ length: 40 }, () => store.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 2, currency: 'USD' })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await inPostgres(cart.id))?.cart.items).toEqual([expect.objectContaining({ variantId, quantity: 80 })]);
    expect(writes).toBeLessThan(40);
    await store.close();
  });

  it('when the process restarts, then the new working copy reads every acknowledged cart from PostgreSQL', async () => {
    const first = memoryStore(db);
    const ownerId = uuidv7();
    const cart = await first.create({ id: uuidv7(), ownerId, currency: null });
    const variantId = uuidv7();
    await first.addItem({ cartId: cart.id, ownerId, itemId: uuidv7(), variantId, quantity: 4, currency: 'EUR' });
    await first.close();
    const second = memoryStore(db);
    expect(await second.findForOwner(cart.id, ownerId)).toMatchObject({ currency: 'EUR', items: [{ variantId, quantity: 4 }] });
    await second.close();
  });
});
