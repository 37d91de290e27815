import { paymentsMigrations } from '../index.js';
import { paymentStoreContract } from './payment-store.contract-test.js';
import { createSqlPaymentStore } from './sql-payment-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

paymentStoreContract('pglite', async () => {
  const db = await createMigratedPglite([paymentsMigrations]);
  return { store: createSqlPaymentStore(db), db, dispose: () => db.close() };
});
