import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createSqlIdempotencyStore } from '../idempotency/sql-idempotency-store.js';
import { ordersMigrations } from '../index.js';
import { orderStoreContract } from './order-store.contract-test.js';
import { createSqlOrderStore } from './sql-order-store.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

orderStoreContract('pglite', async () => {
  const db = await createMigratedPglite([ordersMigrations]);
  return { store: createSqlOrderStore(db, createTestEnvelope()), idempotency: createSqlIdempotencyStore(db), db, dispose: () => db.close() };
});
