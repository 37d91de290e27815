import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable, TEST_SERVICES } from '../../../test/support/services.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { runWithDeadline } from '../resilience/deadline.js';
import { createPostgresDatabase, type Database } from './database.js';

const available = await serviceAvailable('postgres');

/** the backends on the shared server running a statement that carries `marker` (other helpers' work is never touched) */
const running = (db: Database, marker: string) =>
  sql<{ pid: number }>`select pid from pg_stat_activity where state = 'active' and query like ${`%${marker}%`} and pid <> pg_backend_pid()`
    .execute(db.kysely)
    .then((r) => r.rows.length);

describe.skipIf(!available)('statement deadline (shared PostgreSQL)', () => {
  let db: Database;
  let observer: Database;
  beforeAll(async () => {
    // a pool-wide statement_timeout far longer than the request's deadline: only the deadline can stop the sleep
    db = await createPostgresDatabase({ connectionString: TEST_SERVICES.postgres, maxConnections: 1, queryTimeoutMs: 20_000 });
    observer = await createPostgresDatabase({ connectionString: TEST_SERVICES.postgres, maxConnections: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await observer?.close();
  });

  it('when a statement is slower than what is left of the request, then PostgreSQL itself cancels it at the deadline and the connection stays usable', async () => {
    const marker = `deadline-${randomUUID()}`;
    const started = performance.now();
    const slow = runWithDeadline(400, () => sql`select pg_sleep(15) /* ${sql.raw(marker)} */`.execute(db.kysely)).then(
      () => 'finished',
      (err: unknown) => err,
    );
    await waitFor('the sleep running on the server', async () => (await running(observer, marker)) === 1, { timeoutMs: 2_000, intervalMs: 20 });
    expect(await slow).toMatchObject({ code: '57014' });
    expect(performance.now() - started).toBeLessThan(2_000);
    // gone from the server, not only abandoned by the client
    expect(await running(observer, marker)).toBe(0);
    // the same (only) connection serves the next caller, with the pool's own timeout back
    const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db.kysely);
    expect(shown.rows[0]?.statement_timeout).toBe('20s');
  });

  it('when a transaction runs out of time, then its statement is cancelled in PostgreSQL and the next caller runs with the pool timeout', async () => {
    const marker = `deadline-tx-${randomUUID()}`;
    const work = runWithDeadline(400, () =>
      db.kysely.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select pg_sleep(15) /* ${sql.raw(marker)} */`.execute(trx);
      }),
    );
    const started = performance.now();
    // the rollback after it is refused too (the request has no time left): the connection is dropped instead
    await expect(work).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await running(observer, marker)).toBe(0);
    const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db.kysely);
    expect(shown.rows[0]?.statement_timeout).toBe('20s');
  });
});
