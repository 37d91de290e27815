import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { ordersMigrations } from '../index.js';
import { idempotencyStoreContract } from './idempotency-store.contract-test.js';
import { createSqlIdempotencyStore } from './sql-idempotency-store.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  idempotencyStoreContract('postgres', async () => {
    const { db, dispose } = await postgres.create([ordersMigrations]);
    return { store: createSqlIdempotencyStore(db), db, dispose };
  });
});
