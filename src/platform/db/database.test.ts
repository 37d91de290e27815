import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import { createPgliteDatabase } from './database.js';
import { migrateAll, type MigrationSource } from './migrate.js';

const source: MigrationSource = { schema: 'dbtest', directory: fileURLToPath(new URL('./test-migrations', import.meta.url)), outbox: true };

interface Tables { 'dbtest.counters': { id: string; value: number } }

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`database on ${adapter.name}`, () => {
    let handle: TestDatabase | undefined;
    afterEach(async () => { await handle?.dispose(); handle = undefined; });
    const open = async () => {
      handle = await adapter.create([source]);
      return handle.db.kysely as Kysely<Tables>;
    };

    it('when a conditional update matches or not, then the affected-row count says so exactly', async () => {
      const db = await open();
      const hit = await db.updateTable('dbtest.counters').set({ value: sql`value - 3` }).where('id', '=', 'a').where('value', '>=', 3).executeTakeFirst();
      const miss = await db.updateTable('dbtest.counters').set({ value: sql`value - 3` }).where('id', '=', 'b').where('value', '>=', 3).executeTakeFirst();
      const many = await db.updateTable('dbtest.counters').set({ value: sql`value + 1` }).executeTakeFirst();
      expect([hit.numUpdatedRows, miss.numUpdatedRows, many.numUpdatedRows]).toEqual([1n, 0n, 2n]);
    });

    it('when 100 transactions race read-modify-write, then none of them interleave and no update is lost', async () => {
      const db = await open();
      await Promise.all(Array.from({ length: 100 }, () => db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('dbtest.counters').select('value').where('id', '=', 'b').forUpdate().executeTakeFirstOrThrow();
        await trx.updateTable('dbtest.counters').set({ value: row.value + 1 }).where('id', '=', 'b').execute();
      })));
      const row = await db.selectFrom('dbtest.counters').select('value').where('id', '=', 'b').executeTakeFirstOrThrow();
      expect(row.value).toBe(100);
    });

    it('when a transaction fails, then its writes roll back and the connection serves the next caller', async () => {
      const db = await open();
      await expect(db.transaction().execute(async (trx) => {
        await trx.updateTable('dbtest.counters').set({ value: 99 }).where('id', '=', 'a').execute();
        await trx.updateTable('dbtest.counters').set({ value: -1 }).where('id', '=', 'b').execute(); // CHECK fails
      })).rejects.toThrow();
      const rows = await db.selectFrom('dbtest.counters').selectAll().orderBy('id').execute();
      expect(rows).toEqual([{ id: 'a', value: 10 }, { id: 'b', value: 0 }]);
    });

    it('when migrations run again, concurrently, then each file is applied once', async () => {
      await open();
      const reports = await Promise.all([migrateAll(handle!.db, [source]), migrateAll(handle!.db, [source])]);
      expect(reports.flatMap((r) => r.flatMap((x) => x.applied))).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from dbtest.counters`.execute(handle!.db.kysely);
      expect(rows[0]?.n).toBe(2);
    });

    it('when bigint columns are read, then they arrive as numbers on both engines', async () => {
      await open();
      const { rows } = await sql<{ n: number; m: number }>`select 9007199254740991::bigint as n, 12.5::numeric as m`.execute(handle!.db.kysely);
      expect(rows[0]).toEqual({ n: 9007199254740991, m: 12.5 });
    });
  });
}

describe('the embedded database', () => {
  it('when a buffer cache size is given, then PGlite runs with it, and a changed size applies to an existing data dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floodgate-pglite-buffers-'));
    const sharedBuffers = async (sharedBuffersMb: number) => {
      const db = await createPgliteDatabase(join(dir, 'pgdata'), undefined, { sharedBuffersMb });
      try {
        return (await sql<{ shared_buffers: string }>`show shared_buffers`.execute(db.kysely)).rows[0]?.shared_buffers;
      } finally {
        await db.close();
      }
    };
    try {
      expect(await sharedBuffers(8)).toBe('8MB');
      expect(await sharedBuffers(24)).toBe('24MB');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
