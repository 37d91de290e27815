import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../../platform/db/database.js';
import { ordersMigrations } from '../index.js';
import { createIdempotencyPruneWorker } from './prune-idempotency-keys.js';
import { createSqlIdempotencyStore } from './sql-idempotency-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

describe('idempotency key pruning', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createMigratedPglite([ordersMigrations]);
  });
  afterAll(() => db?.close());

  it('when the worker runs, then completed keys past retention are deleted and running ones are kept', async () => {
    const store = createSqlIdempotencyStore(db);
    const begin = (customerId: string) => store.begin({ scope: { customerId, key: 'key-12345' }, requestHash: 'h', now: new Date(), lockMs: 60_000 });
    const done = randomUUID();
    const started = await begin(done);
    if (started.outcome !== 'started') throw new Error('claim expected');
    await store.complete(started.claim, { status: 202, body: {} });
    const running = randomUUID();
    await begin(running);

    const worker = createIdempotencyPruneWorker({ store, logger: pino({ level: 'silent' }), retentionMs: -60_000, intervalMs: 20 });
    worker.start();
    await new Promise((r) => setTimeout(r, 150));
    await worker.stop();

    expect((await begin(done)).outcome).toBe('started');
    expect((await begin(running)).outcome).toBe('in_progress');
  });
});
