import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import type { MigrationSource } from '../db/migrate.js';
import { createInProcessEventBus } from './in-process-event-bus.js';
import { listParkedEvents, requeueParkedEvents } from './outbox-parking.js';
import { createOutboxRelay, enqueueEvent, type OutboxRelay } from './outbox.js';

const source: MigrationSource = { schema: 'dbtest', directory: fileURLToPath(new URL('../db/test-migrations', import.meta.url)), outbox: true };
const logger = pino({ level: 'silent' });
const turn = () => new Promise((resolve) => setImmediate(resolve));

const gates: Array<() => void> = [];
/** a promise the test opens when it wants: a subscriber stuck at the PSP until then (a failed test's are opened after it) */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  return { opened, open };
}

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`outbox relay pipeline on ${adapter.name}`, () => {
    let handle: TestDatabase | undefined;
    const relays: OutboxRelay[] = [];
    afterEach(async () => {
      for (const open of gates.splice(0)) open();
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await handle?.dispose();
      handle = undefined;
    });
    const relayOf = (options: Omit<Parameters<typeof createOutboxRelay>[0], 'schema' | 'logger'>) => {
      const relay = createOutboxRelay({ schema: 'dbtest', logger, ...options });
      relays.push(relay);
      return relay;
    };

    it('when one subscriber is stuck, then the events behind it keep flowing through the other slots, and stop waits for it', { timeout: 60_000 }, async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      const stuck = gate();
      let stuckStarted = false;
      let done = 0;
      bus.subscribe('charge.slow', 'test', async () => {
        stuckStarted = true;
        await stuck.opened;
      });
      bus.subscribe('thing.happened', 'test', async () => void done++);
      // the stuck one first: the old batch relay waited for it before claiming anything more
      await enqueueEvent(db.kysely, 'dbtest', 'charge.slow', {});
      for (let i = 0; i < 300; i++) await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: i });

      const relay = relayOf({ db, bus, concurrency: 4, batchSize: 4 });
      const started = performance.now();
      relay.start();
      await expect.poll(() => done, { timeout: 20_000, interval: 10 }).toBe(300);
      const perSecond = Math.round(300 / ((performance.now() - started) / 1000));
      expect(stuckStarted).toBe(true);
      await expect.poll(() => relay.backlog()).toBe(1); // the last one may be counted before it is marked published
      expect(perSecond).toBeGreaterThan(0);

      const stopping = relay.stop();
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: 300 });
      relay.poke();
      for (let i = 0; i < 20; i++) await turn();
      expect(stopped).toBe(false); // the stuck publish is still in flight
      stuck.open();
      await stopping;
      expect(done).toBe(300); // nothing new started once stop() was called
      expect(await relay.backlog()).toBe(1);
    });

    it('when a batch of events is published in one turn, then one statement marks them all published, and none is published again', async () => {
      handle = await adapter.create([source]);
      const marking: string[] = [];
      // every statement the relay sends, seen on its way out
      const kysely = handle.db.kysely.withPlugin({
        transformQuery: ({ node }) => {
          if (node.kind === 'RawNode' && node.sqlFragments.join('?').includes('published_at = now()')) marking.push(node.sqlFragments.join('?'));
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      const db = { ...handle.db, kysely };
      const bus = createInProcessEventBus();
      const seen: number[] = [];
      bus.subscribe('thing.happened', 'test', async (event) => void seen.push((event.payload as { n: number }).n));
      for (let i = 0; i < 12; i++) await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: i });

      // the in-process bus answers each publish at once, so the 12 of one claim end in the same turn
      const relay = relayOf({ db, bus, concurrency: 16, batchSize: 50 });
      expect(await relay.drainOnce()).toBe(12);
      expect(marking).toHaveLength(1);
      expect(await relay.backlog()).toBe(0);
      expect(await relay.drainOnce()).toBe(0);
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    });

    it('when an event can never be processed, then it is parked with its reason after maxAttempts, the events behind it are published, and a requeue delivers it once fixed', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      let fixed = false;
      const delivered: number[] = [];
      bus.subscribe<{ n: number; poison?: boolean }>('thing.happened', 'test', async (e) => {
        if (e.payload.poison && !fixed) throw new TypeError('payload has no orderId');
        delivered.push(e.payload.n);
      });
      await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: 0, poison: true });
      for (let i = 1; i <= 20; i++) await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: i });
      const parkedTypes: string[] = [];
      const relay = relayOf({ db, bus, maxAttempts: 3, backoff: { initialMs: 1, maxMs: 5 }, idleMs: 5, onParked: (type) => parkedTypes.push(type) });
      relay.start();

      await expect.poll(() => relay.parked(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => delivered.length, { timeout: 10_000 }).toBe(20);
      expect(delivered).not.toContain(0);
      expect(parkedTypes).toEqual(['thing.happened']);
      const [parked] = await listParkedEvents(db, 'dbtest');
      expect(parked).toMatchObject({ type: 'thing.happened', attempts: 3 });
      expect(parked?.lastError).toContain('payload has no orderId');
      // a subscriber's last push comes before the relay marks its event published: wait for the mark
      await expect.poll(() => relay.backlog(), { timeout: 10_000 }).toBe(0); // parked events are not backlog: nothing waits for them

      fixed = true;
      expect(await requeueParkedEvents(db, 'dbtest', { ids: [parked!.id] })).toBe(1);
      relay.poke();
      await expect.poll(() => delivered.includes(0), { timeout: 10_000 }).toBe(true);
      expect(await relay.parked()).toBe(0);
      expect(await requeueParkedEvents(db, 'dbtest')).toBe(0);
      expect(delivered.filter((n) => n === 0)).toHaveLength(1);
    });

    it('when a dependency stays down past maxAttempts, then its events are retried, not parked, and go through once it is back', async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      let outageLeft = 8;
      let delivered = 0;
      bus.subscribe('thing.happened', 'test', async () => {
        if (outageLeft-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
        delivered++;
      });
      await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', {});
      const relay = relayOf({ db, bus, maxAttempts: 2, backoff: { initialMs: 1, maxMs: 5 }, idleMs: 5 });
      relay.start();
      await expect.poll(() => delivered, { timeout: 10_000 }).toBe(1);
      expect(await relay.parked()).toBe(0);
      const { rows } = await sql<{ attempts: number }>`select attempts from dbtest.outbox`.execute(db.kysely);
      expect(rows[0]?.attempts).toBe(9);
    });

    it('when two relays share an outbox and publishes outlast the lease, then no event is published by both at once, and each exactly once', { timeout: 60_000 }, async () => {
      handle = await adapter.create([source]);
      const { db } = handle;
      const bus = createInProcessEventBus();
      // long enough that a loaded CI machine still renews in time, short enough that several lapse during the test
      const leaseMs = 1_000;
      const slow = gate();
      const inFlight = new Set<string>();
      const counts = new Map<number, number>();
      let overlaps = 0;
      let slowSince = 0;
      bus.subscribe<{ n: number; slow: boolean }>('thing.happened', 'test', async (e) => {
        if (inFlight.has(e.id)) overlaps++;
        inFlight.add(e.id);
        try {
          if (e.payload.slow) {
            slowSince ||= Date.now();
            await slow.opened;
          }
          counts.set(e.payload.n, (counts.get(e.payload.n) ?? 0) + 1);
        } finally {
          inFlight.delete(e.id);
        }
      });
      for (let i = 0; i < 60; i++) await enqueueEvent(db.kysely, 'dbtest', 'thing.happened', { n: i, slow: i % 10 === 0 });
      const [a, b] = [0, 1].map(() => relayOf({ db, bus, leaseMs, idleMs: 10, concurrency: 8, batchSize: 8 }));
      a!.start();
      b!.start();

      // the slow publishes stay in flight for several leases while both relays keep polling
      await expect.poll(() => [...counts.values()].length, { timeout: 10_000 }).toBe(54);
      await expect.poll(() => slowSince > 0 && Date.now() - slowSince > 3 * leaseMs, { timeout: 20_000, interval: 25 }).toBe(true);
      expect(overlaps).toBe(0);
      slow.open();
      await expect.poll(() => counts.size, { timeout: 10_000 }).toBe(60);
      await Promise.all([a!.stop(), b!.stop()]);
      expect(overlaps).toBe(0);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect(await a!.backlog()).toBe(0);
    });
  });
}
