import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createPgliteDatabase } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { createSqlIdempotencyStore } from '../idempotency/sql-idempotency-store.js';
import { ordersMigrations } from '../index.js';
import { orderStoreContract } from './order-store.contract-test.js';
import { createSqlOrderStore } from './sql-order-store.js';

orderStoreContract('pglite', async () => {
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [ordersMigrations]);
  return { store: createSqlOrderStore(db, createTestEnvelope()), idempotency: createSqlIdempotencyStore(db), db, dispose: () => db.close() };
});
