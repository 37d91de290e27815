import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { inventoryMigrations } from '../index.js';
import { createSqlStockStore } from './sql-stock-store.js';
import { carveContract } from './stock-store-carve.contract-test.js';
import { stockStoreContract } from './stock-store.contract-test.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

const fresh = async () => {
  const { db, dispose } = await postgres.create([inventoryMigrations]);
  return { store: createSqlStockStore(db), db, dispose };
};

describe.skipIf(!postgres.available)('postgres', () => {
  stockStoreContract('postgres', fresh);
  carveContract('postgres', fresh);
});
