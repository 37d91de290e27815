import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgbouncerAvailable, startPrivatePgbouncer, type PrivatePgbouncer } from '../../../test/support/private-pgbouncer.js';
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

/**
 * A 15 s sleep run with 400 ms left of its request: it must be seen running on the server, end with PostgreSQL's
 * own cancel (57014) well before 2 s, and be gone from the server (not only abandoned by the client).
 */
async function expectSleepCancelledAtDeadline(db: Database, observer: Database, marker: string) {
  const started = performance.now();
  const slow = runWithDeadline(400, () => sql`select pg_sleep(15) /* ${sql.raw(marker)} */`.execute(db.kysely)).then(
    () => 'finished',
    (err: unknown) => err,
  );
  await waitFor('the sleep running on the server', async () => (await running(observer, marker)) === 1, { timeoutMs: 2_000, intervalMs: 20 });
  expect(await slow).toMatchObject({ code: '57014' });
  expect(performance.now() - started).toBeLessThan(2_000);
  // pg_stat_activity shows the backend idle a moment after the client got the cancel
  await waitFor('the statement gone from the server', async () => (await running(observer, marker)) === 0, { timeoutMs: 1_000, intervalMs: 20 });
}

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
    await expectSleepCancelledAtDeadline(db, observer, `deadline-${randomUUID()}`);
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
    // pg_stat_activity shows the backend idle a moment after the client got the cancel
    await waitFor('the statement gone from the server', async () => (await running(observer, marker)) === 0, { timeoutMs: 1_000, intervalMs: 20 });
    const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db.kysely);
    expect(shown.rows[0]?.statement_timeout).toBe('20s');
  });
});

const bouncer = available && pgbouncerAvailable();

/**
 * Through a transaction-pooling PgBouncer (deploy/pgbouncer/pgbouncer.ini) with ONE server connection shared by
 * every client: a session-level SET would stay on that connection and bind the next client's statements. The
 * deadline must reach PostgreSQL all the same, by SET LOCAL, and leave nothing behind.
 */
describe.skipIf(!bouncer)('statement deadline through PgBouncer (transaction pooling)', () => {
  let pgbouncer: PrivatePgbouncer;
  let db: Database;
  let neighbour: Database;
  let observer: Database;
  beforeAll(async () => {
    pgbouncer = await startPrivatePgbouncer(TEST_SERVICES.postgres, { default_pool_size: '1' });
    const url = pgbouncer.urlFor(new URL(TEST_SERVICES.postgres).pathname.slice(1));
    db = await createPostgresDatabase({ connectionString: url, maxConnections: 1, queryTimeoutMs: 20_000, transactionPooled: true });
    // another process's pool on the same bouncer: it gets the same (only) server connection
    neighbour = await createPostgresDatabase({ connectionString: url, maxConnections: 1, queryTimeoutMs: 20_000, transactionPooled: true });
    observer = await createPostgresDatabase({ connectionString: TEST_SERVICES.postgres, maxConnections: 1 });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await neighbour?.close();
    await observer?.close();
    await pgbouncer?.[Symbol.asyncDispose]();
  });

  const neighbourTimeout = async () => (await sql<{ statement_timeout: string }>`show statement_timeout`.execute(neighbour.kysely)).rows[0]?.statement_timeout;

  it('when a statement outside a transaction is slower than the request, then PostgreSQL cancels it at the deadline and the next client of the server connection runs without that timeout', async () => {
    const unbound = await neighbourTimeout();
    await expectSleepCancelledAtDeadline(db, observer, `bouncer-deadline-${randomUUID()}`);
    expect(await neighbourTimeout()).toBe(unbound);
  });

  it('when a transaction runs out of time, then its statement is cancelled in PostgreSQL and the next client of the server connection runs without that timeout', async () => {
    const unbound = await neighbourTimeout();
    const marker = `bouncer-deadline-tx-${randomUUID()}`;
    const started = performance.now();
    const work = runWithDeadline(400, () =>
      db.kysely.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select pg_sleep(15) /* ${sql.raw(marker)} */`.execute(trx);
      }),
    );
    await expect(work).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
    // pg_stat_activity shows the backend idle a moment after the client got the cancel
    await waitFor('the statement gone from the server', async () => (await running(observer, marker)) === 0, { timeoutMs: 1_000, intervalMs: 20 });
    expect(await neighbourTimeout()).toBe(unbound);
  });
});
