import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { cartsMigrations } from '../index.js';
import { cartStoreContract } from './cart-store.contract-test.js';
import { createSqlCartStore } from './sql-cart-store.js';

cartStoreContract('pglite', async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [cartsMigrations]);
  return { store: createSqlCartStore(db), dispose: () => db.close() };
});
