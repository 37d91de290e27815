import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import type { MigrationSource } from '../db/migrate.js';
import type { DomainEvent } from './event-bus.js';
import { createInProcessEventBus } from './in-process-event-bus.js';
import { announcingTransactions, createOutboxRelay, enqueueEvent } from './outbox.js';

const source: MigrationSource = { schema: 'dbtest', directory: fileURLToPath(new URL('../db/test-migrations', import.meta.url)), outbox: true };
const logger = pino({ level: 'silent' });

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`outbox on ${adapter.name}`, () => {
    let handle: TestDatabase | undefined;
    afterEach(async () => { await handle?.dispose(); handle = undefined; });

    it('when a transaction rolls back, then its events are never published', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      const seen: DomainEvent[] = [];
      bus.subscribe('thing.happened', 'test', async (e) => void seen.push(e));
      await db.kysely.transaction().execute(async (trx) => { await enqueueEvent(trx, 'dbtest', 'thing.happened', { n: 1 }); });
      await expect(db.kysely.transaction().execute(async (trx) => {
        await enqueueEvent(trx, 'dbtest', 'thing.happened', { n: 2 });
        throw new Error('abort');
      })).rejects.toThrow('abort');
      const relay = createOutboxRelay({ db, schema: 'dbtest', bus, logger });
      expect(await relay.drainOnce()).toBe(1);
      expect(seen.map((e) => e.payload)).toEqual([{ n: 1 }]);
      expect(await relay.backlog()).toBe(0);
    });

    it('when an announcing transaction enqueues and commits, then it is told once, after the commit; a rollback or a transaction without events tells nothing', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const relay = createOutboxRelay({ db, schema: 'dbtest', bus: createInProcessEventBus(), logger });
      let told = 0;
      const backlogWhenTold: number[] = [];
      const announcing = announcingTransactions(db.kysely, () => {
        told += 1;
        void relay.backlog().then((n) => backlogWhenTold.push(n));
      });
      await announcing.transaction(async (trx) => {
        await announcing.enqueue(trx, 'dbtest', 'thing.happened', { n: 1 });
        await announcing.enqueue(trx, 'dbtest', 'thing.happened', { n: 2 });
      });
      expect(told).toBe(1); // once for the transaction, not per event, before transaction() resolved
      await expect.poll(() => backlogWhenTold).toEqual([2]); // both events were committed when it was told
      await expect(announcing.transaction(async (trx) => {
        await announcing.enqueue(trx, 'dbtest', 'thing.happened', { n: 3 });
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect(await announcing.transaction(async (trx) => (await trx.selectNoFrom((eb) => eb.lit(1).as('one')).executeTakeFirstOrThrow()).one)).toBe(1);
      expect(told).toBe(1);
      expect(await relay.backlog()).toBe(2);
    });

    it('when a subscriber fails, then the event stays in the outbox and is delivered on a later pass', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      let failures = 1;
      const delivered: unknown[] = [];
      bus.subscribe('thing.happened', 'test', async (e) => {
        if (failures-- > 0) throw new Error('temporarily down');
        delivered.push(e.payload);
      });
      await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: 1 });
      const relay = createOutboxRelay({ db, schema: 'dbtest', bus, logger });
      expect(await relay.drainOnce()).toBe(0);
      expect(await relay.backlog()).toBe(1);
      // the retry is due after a backoff (under 250 ms for a first failure); until then a pass finds nothing
      let published = 0;
      await expect.poll(async () => (published += await relay.drainOnce()), { timeout: 5_000, interval: 50 }).toBe(1);
      expect(delivered).toEqual([{ n: 1 }]);
    });

    it('when three relays drain 200 events at once, then each event is published exactly once', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      for (let i = 0; i < 200; i++) await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: i });
      const bus = createInProcessEventBus();
      const counts = new Map<number, number>();
      bus.subscribe<{ n: number }>('thing.happened', 'test', async (e) => void counts.set(e.payload.n, (counts.get(e.payload.n) ?? 0) + 1));
      const relays = [1, 2, 3].map(() => createOutboxRelay({ db, schema: 'dbtest', bus, logger, batchSize: 20 }));
      let total = 0;
      for (let pass = 0; pass < 20 && total < 200; pass++) total += (await Promise.all(relays.map((r) => r.drainOnce()))).reduce((a, b) => a + b, 0);
      expect(total).toBe(200);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect(counts.size).toBe(200);
    });

    it('when the relay runs as a worker and is poked, then a new event is published without waiting for the idle poll', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      const got = new Promise<DomainEvent>((resolve) => bus.subscribe('thing.happened', 'test', async (e) => resolve(e)));
      const relay = createOutboxRelay({ db, schema: 'dbtest', bus, logger, idleMs: 60_000 });
      relay.start();
      await new Promise((r) => setTimeout(r, 100));
      await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: 7 });
      relay.poke();
      expect((await got).payload).toEqual({ n: 7 });
      await relay.stop();
    });
  });
}
