import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabaseUrl } from '../../../test/support/databases.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { createPostgresDatabase, type Database } from './database.js';
import { isTransactionConflict } from './database-errors.js';
import { withTransactionRetry } from './retry-transaction.js';

describe.skipIf(!(await serviceAvailable('postgres')))('withTransactionRetry on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await createPostgresTestDatabaseUrl();
    drop = fresh.drop;
    db = await createPostgresDatabase({ connectionString: fresh.url, maxConnections: 4 });
    await sql`create table accounts (id int primary key, balance int not null)`.execute(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  /** Moves one unit between two rows, locking them in the given order, with a pause so the twin locks its first row too. */
  const transfer = (k: Kysely<any>, first: number, second: number, barrier: Promise<void>, arrived: () => void) => // eslint-disable-line @typescript-eslint/no-explicit-any
    k.transaction().execute(async (trx) => {
      await sql`update accounts set balance = balance - 1 where id = ${first}`.execute(trx);
      arrived();
      await barrier;
      await sql`update accounts set balance = balance + 1 where id = ${second}`.execute(trx);
    });

  it('when two transactions deadlock, then the one PostgreSQL aborts (40P01) is rerun and both transfers land', async () => {
    await sql`insert into accounts values (1, 100), (2, 100)`.execute(db.kysely);
    let arrivals = 0;
    let open!: () => void;
    const barrier = new Promise<void>((resolve) => (open = resolve));
    const arrived = () => {
      if (++arrivals === 2) open();
    };
    const aborted: unknown[] = [];
    const run = (a: number, b: number) =>
      withTransactionRetry(async () => {
        try {
          return await transfer(db.kysely, a, b, barrier, arrived);
        } catch (err) {
          aborted.push(err);
          throw err;
        }
      });
    await Promise.all([run(1, 2), run(2, 1)]);

    expect(aborted.length).toBe(1);
    expect(isTransactionConflict(aborted[0])).toBe(true);
    const rows = await sql<{ id: number; balance: number }>`select id, balance from accounts order by id`.execute(db.kysely);
    expect(rows.rows).toEqual([{ id: 1, balance: 100 }, { id: 2, balance: 100 }]);
  });
});
