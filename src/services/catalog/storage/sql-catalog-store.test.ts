import { catalogMigrations } from '../catalog-migrations.js';
import { catalogStoreContract } from './catalog-store.contract-test.js';
import { createSqlCatalogStore } from './sql-catalog-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

catalogStoreContract('sql on pglite', async () => {
  const db = await createMigratedPglite([catalogMigrations]);
  return { store: createSqlCatalogStore(db), dispose: () => db.close() };
});
