import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { inventoryMigrations } from '../index.js';
import { createSqlStockStore } from './sql-stock-store.js';
import { stockStoreContract } from './stock-store.contract-test.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  stockStoreContract('postgres', async () => {
    const { db, dispose } = await postgres.create([inventoryMigrations]);
    return { store: createSqlStockStore(db), db, dispose };
  });
});
