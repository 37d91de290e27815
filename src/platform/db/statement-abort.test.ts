import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import type { MigrationSource } from './migrate.js';
import { createStatementAbort } from './statement-abort.js';

const source: MigrationSource = { schema: 'dbtest', directory: fileURLToPath(new URL('./test-migrations', import.meta.url)) };

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`statement abort on ${adapter.name}`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await adapter.create([source]);
    });
    afterAll(() => handle?.dispose());

    const short = createStatementAbort('counter a would go below zero');
    /** takes `n` from counter a in a CTE, and fails the statement when that left it below `floor` */
    const take = (n: number, floor: number) =>
      sql<{ left: number }>`
        with taken as (update dbtest.counters set value = value - ${n} where id = 'a' returning value)
        select ${short.unless(sql`(select value from taken) >= ${floor}`, sql<number>`(select value from taken)`, 'int')} as left`.execute(handle.db.kysely);
    const a = async () => (await sql<{ value: number }>`select value from dbtest.counters where id = 'a'`.execute(handle.db.kysely)).rows[0]!.value;

    it('when the condition holds, then the statement answers its value and its writes stay', async () => {
      const before = await a();
      expect((await take(1, 0)).rows[0]?.left).toBe(before - 1);
      expect(await a()).toBe(before - 1);
    });

    it('when the condition fails, then the statement fails whole, its write undone, and the error is recognised as this abort only', async () => {
      const before = await a();
      const failed = await take(1, before).then(() => undefined, (err: unknown) => err);
      expect(short.is(failed)).toBe(true);
      expect(createStatementAbort('another reason').is(failed)).toBe(false);
      expect(await a()).toBe(before);
    });

    it('when a boolean expression holds it answers true, and when it fails it aborts the same way', async () => {
      const abort = createStatementAbort('boolean fence');
      const ok = await sql<{ held: boolean }>`select ${abort.unless(sql`1 = 1`, sql<boolean>`true`, 'boolean')} as held`.execute(handle.db.kysely);
      expect(ok.rows[0]?.held).toBe(true);
      await expect(sql`select ${abort.unless(sql`1 = 2`, sql<boolean>`true`, 'boolean')} as held`.execute(handle.db.kysely)).rejects.toSatisfy((err: unknown) => abort.is(err));
    });
  });
}
