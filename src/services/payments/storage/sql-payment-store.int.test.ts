import { describe } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { paymentsMigrations } from '../index.js';
import { paymentStoreContract } from './payment-store.contract-test.js';
import { createSqlPaymentStore } from './sql-payment-store.js';

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('postgres', () => {
  paymentStoreContract('postgres', async () => {
    const { db, dispose } = await postgres.create([paymentsMigrations]);
    return { store: createSqlPaymentStore(db), db, dispose };
  });
});
