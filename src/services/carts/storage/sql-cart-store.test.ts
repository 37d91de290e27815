import { cartsMigrations } from '../index.js';
import { cartStoreContract } from './cart-store.contract-test.js';
import { createSqlCartStore } from './sql-cart-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

cartStoreContract('pglite', async () => {
  const db = await createMigratedPglite([cartsMigrations]);
  return { store: createSqlCartStore(db), dispose: () => db.close() };
});
