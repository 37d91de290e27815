import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { ordersMigrations } from '../index.js';
import { idempotencyStoreContract } from './idempotency-store.contract-test.js';
import { createSqlIdempotencyStore } from './sql-idempotency-store.js';

idempotencyStoreContract('pglite', async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [ordersMigrations]);
  return { store: createSqlIdempotencyStore(db), db, dispose: () => db.close() };
});
