import { inventoryMigrations } from '../index.js';
import { createSqlStockStore } from './sql-stock-store.js';
import { carveContract } from './stock-store-carve.contract-test.js';
import { stockStoreContract } from './stock-store.contract-test.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

const pglite = async () => {
  const db = await createMigratedPglite([inventoryMigrations]);
  return { store: createSqlStockStore(db), db, dispose: () => db.close() };
};

stockStoreContract('pglite', pglite);
carveContract('pglite', pglite);
