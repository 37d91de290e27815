import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { inventoryMigrations } from '../index.js';
import { createSqlStockStore } from './sql-stock-store.js';
import { carveContract } from './stock-store-carve.contract-test.js';
import { stockStoreContract } from './stock-store.contract-test.js';

const pglite = async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [inventoryMigrations]);
  return { store: createSqlStockStore(db), db, dispose: () => db.close() };
};

stockStoreContract('pglite', pglite);
carveContract('pglite', pglite);
