import { ordersMigrations } from '../index.js';
import { idempotencyStoreContract } from './idempotency-store.contract-test.js';
import { createSqlIdempotencyStore } from './sql-idempotency-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

idempotencyStoreContract('pglite', async () => {
  const db = await createMigratedPglite([ordersMigrations]);
  return { store: createSqlIdempotencyStore(db), db, dispose: () => db.close() };
});
