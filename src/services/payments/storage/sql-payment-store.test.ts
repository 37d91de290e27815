import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { paymentsMigrations } from '../index.js';
import { paymentStoreContract } from './payment-store.contract-test.js';
import { createSqlPaymentStore } from './sql-payment-store.js';

paymentStoreContract('pglite', async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [paymentsMigrations]);
  return { store: createSqlPaymentStore(db), db, dispose: () => db.close() };
});
