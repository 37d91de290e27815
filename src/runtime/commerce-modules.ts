import { createAuditModule } from '../platform/audit/audit-routes.js';
import { createSqlAuditLog } from '../platform/audit/sql-audit-log.js';
import type { EventBus } from '../platform/bus/event-bus.js';
import type { Envelope } from '../platform/crypto/envelope.js';
import type { Database } from '../platform/db/database.js';
import type { MigrationSource } from '../platform/db/migrate.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { ServiceModule } from '../platform/service.js';
import type { Logger } from 'pino';
import { createCartsService } from '../services/carts/index.js';
import { createCatalogService } from '../services/catalog/index.js';
import { createCustomersService } from '../services/customers/index.js';
import { createInventoryService } from '../services/inventory/index.js';
import { createOrdersService } from '../services/orders/index.js';
import { createPaymentsService } from '../services/payments/index.js';
import { createFakePspPaymentProvider } from '../services/payments/providers/fake-psp-payment-provider.js';

export interface CommerceDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  envelope: Envelope;
  pspUrl: string;
  /** see CHECKOUT_LOCK_MS */
  checkoutLockMs?: number;
  /** see CARTS_MAX_OPEN_PER_CUSTOMER */
  maxOpenCartsPerCustomer?: number;
}

/** Every commerce service wired to the others through their in-process clients. */
export function createCommerceModules({ db, bus, logger, metrics, envelope, pspUrl, checkoutLockMs, maxOpenCartsPerCustomer }: CommerceDeps) {
  const audit = createSqlAuditLog(db, { logger: logger.child({ module: 'audit' }) });
  const base = (service: string) => ({ db, bus, metrics, envelope, audit, logger: logger.child({ module: service }) });
  const inventory = createInventoryService(base('inventory'));
  const catalog = createCatalogService({ ...base('catalog'), inventory: inventory.client });
  const customers = createCustomersService(base('customers'));
  const carts = createCartsService({ ...base('carts'), catalog: catalog.client, ...(maxOpenCartsPerCustomer ? { maxOpenCartsPerCustomer } : {}) });
  const payments = createPaymentsService({ ...base('payments'), provider: createFakePspPaymentProvider({ baseUrl: pspUrl, logger: logger.child({ module: 'payments' }) }), holds: inventory.client });
  const orders = createOrdersService({ ...base('orders'), carts: carts.client, inventory: inventory.client, payments: payments.client, ...(checkoutLockMs ? { checkoutLockMs } : {}) });

  // the audit schema migrates first: every other module may write entries from its first request
  const modules: ServiceModule[] = [createAuditModule({ audit }), customers, catalog, inventory, carts, orders, payments];
  const migrations = modules.flatMap((m) => (m.migrations ? [m.migrations] : [])) as MigrationSource[];
  return { audit, inventory, catalog, customers, carts, payments, orders, modules, migrations };
}

export type CommerceModules = ReturnType<typeof createCommerceModules>;
