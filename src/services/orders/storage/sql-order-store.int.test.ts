import { describe } from 'vitest';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { createSqlIdempotencyStore } from '../idempotency/sql-idempotency-store.js';
import { ordersMigrations } from '../index.js';
import { orderStoreContract } from './order-store.contract-test.js';
import { createSqlOrderStore } from './sql-order-store.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  orderStoreContract('postgres', async () => {
    const { db, dispose } = await postgres.create([ordersMigrations]);
    return { store: createSqlOrderStore(db, createTestEnvelope()), idempotency: createSqlIdempotencyStore(db), db, dispose };
  });
});
