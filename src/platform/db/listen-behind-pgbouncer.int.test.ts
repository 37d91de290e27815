import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabaseUrl } from '../../../test/support/databases.js';
import { pgbouncerAvailable, startPrivatePgbouncer, type PrivatePgbouncer } from '../../../test/support/private-pgbouncer.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { expectNotifiedWithinASecond, REVOCATION_TABLE, REVOCATION_TABLE_DDL, unseenToken } from '../auth/revocation-table.test-support.js';
import { createSqlRevocationList } from '../auth/sql-revocation-list.js';
import { createPostgresDatabase, type Database } from './database.js';

const available = (await serviceAvailable('postgres')) && pgbouncerAvailable();
const logger = pino({ level: 'silent' });

/**
 * Production runs the processes behind a transaction-pooling PgBouncer (DATABASE_POOLER=pgbouncer), where no session
 * stays to LISTEN in: without DATABASE_LISTEN_URL a revocation reaches the other processes at their next poll only.
 * With it, each process keeps its one listening connection on PostgreSQL itself while its pool goes through the bouncer.
 */
describe.skipIf(!available)('LISTEN beside a transaction-pooling PgBouncer (DATABASE_LISTEN_URL)', () => {
  const table = REVOCATION_TABLE;
  let database: Awaited<ReturnType<typeof createPostgresTestDatabaseUrl>>;
  let bouncer: PrivatePgbouncer;
  let viaBouncer: string;
  const opened: Database[] = [];
  const open = async (listenConnectionString?: string) => {
    const db = await createPostgresDatabase({ connectionString: viaBouncer, maxConnections: 2, transactionPooled: true, ...(listenConnectionString ? { listenConnectionString } : {}) });
    opened.push(db);
    return db;
  };
  beforeAll(async () => {
    database = await createPostgresTestDatabaseUrl();
    bouncer = await startPrivatePgbouncer();
    viaBouncer = bouncer.urlFor(new URL(database.url).pathname.slice(1));
    const direct = await createPostgresDatabase({ connectionString: database.url, maxConnections: 1 });
    await sql.raw(REVOCATION_TABLE_DDL).execute(direct.kysely);
    await direct.close();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await bouncer?.kill(new URL(database.url).pathname.slice(1));
    await bouncer?.[Symbol.asyncDispose]();
    await database?.drop();
  });

  it('when a process pools through the bouncer without a listen URL, then it cannot listen (it polls alone)', async () => {
    expect((await open()).listen).toBeUndefined();
  });

  it('when polling is a minute away, then a revocation made through the bouncer reaches a process listening on its listen URL within a second', async () => {
    const [one, two] = [await open(), await open(database.url)];
    const revoking = createSqlRevocationList({ db: one, table, logger, pollMs: 60_000 });
    const listening = createSqlRevocationList({ db: two, table, logger, pollMs: 60_000 });
    listening.worker.start();
    try {
      await expect.poll(() => listening.listening(), { timeout: 5_000 }).toBe(true);
      // the notification is sent on commit, through the bouncer's pooled server connection
      await expectNotifiedWithinASecond(listening, unseenToken(), (sid) => revoking.revokeSession(sid, new Date(Date.now() + 3_600_000)));
    } finally {
      await listening.worker.stop();
    }
  });
});
