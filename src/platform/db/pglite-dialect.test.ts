import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-errors.js';
import { createPgliteDialect } from './pglite-dialect.js';

describe('PGlite driver: waiting for the single connection', () => {
  let kysely: Kysely<unknown>;
  beforeAll(async () => {
    kysely = new Kysely<unknown>({ dialect: createPgliteDialect(new PGlite(), { connectionWaitMs: 300 }) });
    await sql`select 1`.execute(kysely);
  });
  afterAll(() => kysely?.destroy());

  it('when a transaction holds the connection past the wait deadline, then waiting queries fail with a classified error and the queue keeps working after', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const transaction = kysely.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      entered();
      await held;
      return (await sql<{ n: number }>`select 2::int as n`.execute(trx)).rows[0]?.n;
    });
    await inside;

    const started = performance.now();
    const waiters = await Promise.allSettled([1, 2, 3].map((n) => sql`select ${n}::int`.execute(kysely)));
    const waited = performance.now() - started;
    expect(waiters.every((w) => w.status === 'rejected' && isDatabaseUnavailable(w.reason))).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(2_000);

    // a waiter queued now, behind the timed-out ones, gets the connection as soon as it is free
    const next = sql<{ n: number }>`select 4::int as n`.execute(kysely);
    finish();
    expect(await transaction).toBe(2);
    expect((await next).rows[0]?.n).toBe(4);
    expect((await sql<{ n: number }>`select 5::int as n`.execute(kysely)).rows[0]?.n).toBe(5);
  });
});
