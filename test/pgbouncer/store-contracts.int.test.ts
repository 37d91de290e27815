import { afterAll, describe } from 'vitest';
import { auditLogContract } from '../../src/platform/audit/audit-log.contract-test.js';
import { auditMigrations } from '../../src/platform/audit/audit-migrations.js';
import { cartsMigrations } from '../../src/services/carts/index.js';
import { cartStoreContract } from '../../src/services/carts/storage/cart-store.contract-test.js';
import { createSqlCartStore } from '../../src/services/carts/storage/sql-cart-store.js';
import { catalogMigrations } from '../../src/services/catalog/catalog-migrations.js';
import { catalogStoreContract } from '../../src/services/catalog/storage/catalog-store.contract-test.js';
import { createSqlCatalogStore } from '../../src/services/catalog/storage/sql-catalog-store.js';
import { customersMigrations } from '../../src/services/customers/index.js';
import { customerStoreContract } from '../../src/services/customers/storage/customer-store.contract-test.js';
import { signingKeyStoreContract } from '../../src/services/customers/storage/signing-key-store.contract-test.js';
import { inventoryMigrations } from '../../src/services/inventory/index.js';
import { createSqlStockStore } from '../../src/services/inventory/storage/sql-stock-store.js';
import { carveContract } from '../../src/services/inventory/storage/stock-store-carve.contract-test.js';
import { stockStoreContract } from '../../src/services/inventory/storage/stock-store.contract-test.js';
import { idempotencyStoreContract } from '../../src/services/orders/idempotency/idempotency-store.contract-test.js';
import { createSqlIdempotencyStore } from '../../src/services/orders/idempotency/sql-idempotency-store.js';
import { ordersMigrations } from '../../src/services/orders/index.js';
import { orderStoreContract } from '../../src/services/orders/storage/order-store.contract-test.js';
import { createSqlOrderStore } from '../../src/services/orders/storage/sql-order-store.js';
import { paymentsMigrations } from '../../src/services/payments/index.js';
import { paymentStoreContract } from '../../src/services/payments/storage/payment-store.contract-test.js';
import { createSqlPaymentStore } from '../../src/services/payments/storage/sql-payment-store.js';
import { createTestEnvelope } from '../support/envelope.js';
import { pgbouncerAdapter } from '../support/private-pgbouncer.js';

// Every store contract suite, with its migrations, through one private PgBouncer in transaction mode (the pool
// settings of deploy/pgbouncer/pgbouncer.ini): nothing a store does may rely on a session (a SET, an advisory
// lock held across transactions, LISTEN, a named prepared statement), since consecutive transactions of one
// client land on different server connections here.
const bouncer = await pgbouncerAdapter();
afterAll(() => bouncer[Symbol.asyncDispose]());

describe.skipIf(!bouncer.available)('store contracts through PgBouncer (transaction mode)', () => {
  auditLogContract('pgbouncer', () => bouncer.create([auditMigrations]));
  customerStoreContract('pgbouncer', () => bouncer.create([customersMigrations]));
  signingKeyStoreContract('pgbouncer', () => bouncer.create([customersMigrations]));
  catalogStoreContract('pgbouncer', async () => {
    const { db, dispose } = await bouncer.create([catalogMigrations]);
    return { store: createSqlCatalogStore(db), dispose };
  });
  cartStoreContract('pgbouncer', async () => {
    const { db, dispose } = await bouncer.create([cartsMigrations]);
    return { store: createSqlCartStore(db), dispose };
  });
  const stock = async () => {
    const { db, dispose } = await bouncer.create([inventoryMigrations]);
    return { store: createSqlStockStore(db), db, dispose };
  };
  stockStoreContract('pgbouncer', stock);
  carveContract('pgbouncer', stock);
  orderStoreContract('pgbouncer', async () => {
    const { db, dispose } = await bouncer.create([ordersMigrations]);
    return { store: createSqlOrderStore(db, createTestEnvelope()), idempotency: createSqlIdempotencyStore(db), db, dispose };
  });
  idempotencyStoreContract('pgbouncer', async () => {
    const { db, dispose } = await bouncer.create([ordersMigrations]);
    return { store: createSqlIdempotencyStore(db), db, dispose };
  });
  paymentStoreContract('pgbouncer', async () => {
    const { db, dispose } = await bouncer.create([paymentsMigrations]);
    return { store: createSqlPaymentStore(db), db, dispose };
  });
});
