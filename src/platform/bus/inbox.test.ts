import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import type { Database } from '../db/database.js';
import { migrateAll, type MigrationSource } from '../db/migrate.js';
import type { DomainEvent } from './event-bus.js';
import { createInProcessEventBus } from './in-process-event-bus.js';
import { createInbox, handleGuarded, handleOnce, subscribeGuarded } from './inbox.js';

const source: MigrationSource = { schema: 'dbtest', directory: fileURLToPath(new URL('../db/test-migrations', import.meta.url)), outbox: true, inbox: true };
const event = (id: string): DomainEvent<{ by: number }> => ({ id, type: 'thing.happened', occurredAt: new Date().toISOString(), payload: { by: 3 } });
let counters = 0;
/** a counter of this test's own, and an effect that is not idempotent on its own: applied twice, it adds twice */
async function newCounter(db: Database) {
  const id = `c${++counters}`;
  await sql`insert into dbtest.counters (id, value) values (${id}, 0)`.execute(db.kysely);
  return {
    value: async () => (await sql<{ value: number }>`select value from dbtest.counters where id = ${id}`.execute(db.kysely)).rows[0]?.value,
    addTo: async (e: DomainEvent<{ by: number }>, tx: Database) => void (await sql`update dbtest.counters set value = value + ${e.payload.by} where id = ${id}`.execute(tx.kysely)),
  };
}

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`inbox on ${adapter.name}`, () => {
    // one database for the file (a fresh PGlite costs seconds on a loaded machine); each test has its own ids
    let handle: TestDatabase;
    beforeAll(async () => { handle = await adapter.create([source]); });
    afterAll(async () => { await handle?.dispose(); });

    it('when a message is delivered three times, then its effect is applied once', async () => {
      const counter = await newCounter(handle.db);
      const handler = handleOnce(createInbox(handle.db, 'dbtest'), 'test.add', counter.addTo);
      for (let i = 0; i < 3; i++) await handler(event('t1-m1'));
      await handler(event('t1-m2'));
      expect(await counter.value()).toBe(6);
    });

    it('when the effect fails, then the message is not recorded and its redelivery applies it', async () => {
      const counter = await newCounter(handle.db);
      const inbox = createInbox(handle.db, 'dbtest');
      await expect(inbox.applyOnce('test.add', 't2-m1', async (tx) => {
        await counter.addTo(event('t2-m1'), tx);
        throw new Error('crash after the write');
      })).rejects.toThrow('crash after the write');
      expect(await counter.value()).toBe(0);
      expect(await inbox.seen('test.add', 't2-m1')).toBe(false);
      expect(await inbox.applyOnce('test.add', 't2-m1', (tx) => counter.addTo(event('t2-m1'), tx))).toBe('applied');
      expect(await counter.value()).toBe(3);
    });

    it('when two consumers get the same message, then each applies it once', async () => {
      const counter = await newCounter(handle.db);
      const inbox = createInbox(handle.db, 'dbtest');
      const apply = (tx: Database) => counter.addTo(event('t3-m1'), tx);
      expect(await inbox.applyOnce('first', 't3-m1', apply)).toBe('applied');
      expect(await inbox.applyOnce('second', 't3-m1', apply)).toBe('applied');
      expect(await inbox.applyOnce('second', 't3-m1', apply)).toBe('duplicate');
      expect(await counter.value()).toBe(6);
    });

    it('when a guarded handler fails, then a redelivery runs it again; once it succeeded, redeliveries are skipped', async () => {
      const runs: string[] = [];
      let fail = true;
      const handler = handleGuarded(createInbox(handle.db, 'dbtest'), 'test.remote', async (e: DomainEvent) => {
        runs.push(e.id);
        if (fail) throw new Error('the other service is down');
      });
      await expect(handler(event('t4-m1'))).rejects.toThrow('down');
      fail = false;
      await handler(event('t4-m1'));
      await handler(event('t4-m1'));
      expect(runs).toEqual(['t4-m1', 't4-m1']);
    });

    it('when a guarded subscription says an event is not for it, then the handler is skipped and no inbox row is written; the others are guarded as before', async () => {
      const bus = createInProcessEventBus();
      const runs: string[] = [];
      subscribeGuarded(bus, createInbox(handle.db, 'dbtest'))('thing.happened', 'test.picky', async (e: DomainEvent<{ by: number }>) => void runs.push(e.id), (e) => e.payload.by > 1);
      const small = { ...event('t6-small'), payload: { by: 1 } };
      await bus.publish(small);
      await bus.publish(event('t6-big'));
      await bus.publish(event('t6-big'));
      expect(runs).toEqual(['t6-big']);
      const { rows } = await sql<{ message_id: string }>`select message_id from dbtest.inbox where consumer = 'test.picky' order by message_id`.execute(handle.db.kysely);
      expect(rows.map((r) => r.message_id)).toEqual(['t6-big']);
    });

    it('when old rows are pruned, then only those handled before the cut go', async () => {
      const inbox = createInbox(handle.db, 'dbtest');
      await inbox.record('t5', 'old');
      await sql`update dbtest.inbox set handled_at = now() - interval '8 days' where consumer = 't5' and message_id = 'old'`.execute(handle.db.kysely);
      await inbox.record('t5', 'new');
      expect(await inbox.prune(new Date(Date.now() - 7 * 86_400_000))).toBe(1);
      expect([await inbox.seen('t5', 'old'), await inbox.seen('t5', 'new')]).toEqual([false, true]);
    });

    it('when the outbox was created by the unversioned DDL of earlier releases, then migrating keeps its rows and records both platform migrations', async () => {
      const { db } = handle;
      const empty = mkdtempSync(join(tmpdir(), 'floodgate-no-migrations-'));
      try {
        // what migrate.ts ran on every start before the outbox was a migration (no parked_at yet)
        await sql.raw(`create schema legacy; create table legacy.outbox (id uuid primary key, type text not null, payload jsonb not null,
          occurred_at timestamptz not null default now(), published_at timestamptz, attempts integer not null default 0,
          available_at timestamptz not null default now(), last_error text);
          insert into legacy.outbox (id, type, payload) values ('0190c8e2-0000-7000-8000-000000000001', 'old.event', '{}')`).execute(db.kysely);
        const legacy: MigrationSource = { schema: 'legacy', directory: empty, outbox: true, inbox: true };
        expect((await migrateAll(db, [legacy]))[0]?.applied).toEqual(['001_outbox_table', '002_inbox_table']);
        const { rows } = await sql<{ type: string; parked_at: Date | null }>`select type, parked_at from legacy.outbox`.execute(db.kysely);
        expect(rows).toEqual([{ type: 'old.event', parked_at: null }]);
        expect((await migrateAll(db, [legacy]))[0]?.applied).toEqual([]);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });
}
