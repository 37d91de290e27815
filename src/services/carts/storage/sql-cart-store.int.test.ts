import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { cartsMigrations } from '../index.js';
import { cartStoreContract } from './cart-store.contract-test.js';
import { createSqlCartStore } from './sql-cart-store.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  cartStoreContract('postgres', async () => {
    const { db, dispose } = await postgres.create([cartsMigrations]);
    return { store: createSqlCartStore(db), dispose };
  });
});
