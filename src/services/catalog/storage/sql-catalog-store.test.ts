import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { catalogMigrations } from '../catalog-migrations.js';
import { catalogStoreContract } from './catalog-store.contract-test.js';
import { createSqlCatalogStore } from './sql-catalog-store.js';

catalogStoreContract('sql on pglite', async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [catalogMigrations]);
  return { store: createSqlCatalogStore(db), dispose: () => db.close() };
});
