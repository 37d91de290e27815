import { createAuditModule } from '../platform/audit/audit-routes.js';
import { createSqlAuditLog } from '../platform/audit/sql-audit-log.js';
import type { EventBus } from '../platform/bus/event-bus.js';
import type { SharedCacheLevel } from '../platform/cache/redis-cache-level.js';
import type { CounterStore } from '../platform/counters/counter-store.js';
import { createMemoryCounterStore } from '../platform/counters/memory-counter-store.js';
import type { Envelope } from '../platform/crypto/envelope.js';
import type { Database } from '../platform/db/database.js';
import type { MigrationSource } from '../platform/db/migrate.js';
import type { ReadRouting } from '../platform/db/read-routing.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { ServiceModule } from '../platform/service.js';
import type { Logger } from 'pino';
import { createCartsService, type CartWorkingCopy, type CartWriteBackElsewhere } from '../services/carts/index.js';
import { createCatalogService } from '../services/catalog/index.js';
import { createCustomersService } from '../services/customers/index.js';
import { createFlashSalesService, type FlashSaleSettings } from '../services/flash-sales/index.js';
import { createInventoryService } from '../services/inventory/index.js';
import { createOrdersService } from '../services/orders/index.js';
import { createPaymentsService } from '../services/payments/index.js';
import type { DegradationCheck } from '../platform/overload/degradation.js';
import { createDegradationModule, type DegradationDeps } from '../platform/overload/degradation-routes.js';
import { createRetryBudget } from '../platform/resilience/retry-budget.js';
import { createFakePspPaymentProvider } from '../services/payments/providers/fake-psp-payment-provider.js';
import type { PspCircuitOptions } from '../services/payments/providers/psp-circuit.js';

export interface CommerceDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  envelope: Envelope;
  pspUrl: string;
  /** see PSP_CIRCUIT_HALF_OPEN_AFTER_MS; the circuit's defaults when absent */
  pspCircuit?: Partial<PspCircuitOptions>;
  /** PSP_TIMEOUT_MS and PAYMENT_LEASE_MS; the provider's and the worker's defaults when absent */
  payments?: { pspTimeoutMs: number; leaseMs: number };
  /** see CHECKOUT_LOCK_MS */
  checkoutLockMs?: number;
  /** see CARTS_MAX_OPEN_PER_CUSTOMER */
  maxOpenCartsPerCustomer?: number;
  /** the carts' working copy (openCartWorkingCopy) and CARTS_FLUSH_INTERVAL_MS; every cart change is a transaction without it */
  carts?: { workingCopy?: CartWorkingCopy; flushIntervalMs?: number; variantCacheTtlMs?: number; flushElsewhere?: CartWriteBackElsewhere };
  /** the flash-sale counters (createCounterStore: Redis when REDIS_URL is set); in-process by default */
  counters?: CounterStore;
  /** FLASH_SALE_* settings */
  flashSales?: FlashSaleSettings;
  /** the degradation switches (search, stock-counts) catalog answers follow; never degraded when absent */
  degradation?: DegradationCheck;
  /** read replicas for lag-tolerant reads (openReadRouting); without it every read uses `db` */
  reads?: ReadRouting;
  /** CATALOG_PAGE_* settings, and the pages' shared level (Redis) when REDIS_URL is set */
  catalogPages?: { ttlMs?: number; recordTtlMs?: number; cacheBytes?: number; listLoads?: { limit: number; queue: number }; shared?: SharedCacheLevel };
  /** see ServiceDeps.pokedQueueMaxIdleMs: only where every writer runs in this process (the all-in-one) */
  pokedQueueMaxIdleMs?: number;
}

/** Every commerce service wired to the others through their in-process clients. */
export function createCommerceModules({ db, bus, logger, metrics, envelope, pspUrl, pspCircuit, payments: paymentSettings, checkoutLockMs, maxOpenCartsPerCustomer, carts: cartSettings = {}, counters = createMemoryCounterStore(), flashSales: flashSaleSettings, degradation, reads, catalogPages = {}, pokedQueueMaxIdleMs }: CommerceDeps) {
  const audit = createSqlAuditLog(db, { logger: logger.child({ module: 'audit' }) });
  const base = (service: string) => ({ db, bus, metrics, envelope, audit, logger: logger.child({ module: service }), ...(reads ? { reads } : {}), ...(pokedQueueMaxIdleMs ? { pokedQueueMaxIdleMs } : {}) });
  const inventory = createInventoryService(base('inventory'));
  const catalog = createCatalogService({
    ...base('catalog'),
    inventory: inventory.client,
    ...(degradation ? { degradation } : {}),
    ...(catalogPages.ttlMs !== undefined ? { cacheTtlMs: catalogPages.ttlMs } : {}),
    ...(catalogPages.cacheBytes !== undefined ? { pageCacheBytes: catalogPages.cacheBytes } : {}),
    ...(catalogPages.recordTtlMs !== undefined ? { recordTtlMs: catalogPages.recordTtlMs } : {}),
    ...(catalogPages.shared ? { sharedPages: catalogPages.shared } : {}),
    ...(catalogPages.listLoads ? { listLoads: catalogPages.listLoads } : {}),
  });
  const customers = createCustomersService(base('customers'));
  const carts = createCartsService({
    ...base('carts'),
    catalog: catalog.client,
    ...(maxOpenCartsPerCustomer ? { maxOpenCartsPerCustomer } : {}),
    ...(cartSettings.workingCopy ? { workingCopy: cartSettings.workingCopy } : {}),
    ...(cartSettings.flushIntervalMs ? { flushIntervalMs: cartSettings.flushIntervalMs } : {}),
    ...(cartSettings.variantCacheTtlMs ? { variantCacheTtlMs: cartSettings.variantCacheTtlMs } : {}),
    ...(cartSettings.flushElsewhere ? { flushElsewhere: cartSettings.flushElsewhere } : {}),
  });
  // the PSP's in-call retries (refunds) are budgeted; charges are retried from their row on a backoff schedule,
  // gated by the circuit, so their retries are backlog the worker drains, not load multiplied in a burst
  const pspRetries = createRetryBudget({ dependency: 'psp', metrics });
  const provider = createFakePspPaymentProvider({ baseUrl: pspUrl, logger: logger.child({ module: 'payments' }), metrics, retryBudget: pspRetries, ...(pspCircuit ? { circuit: pspCircuit } : {}), ...(paymentSettings ? { timeoutMs: paymentSettings.pspTimeoutMs } : {}) });
  const payments = createPaymentsService({ ...base('payments'), provider, holds: inventory.client, ...(paymentSettings ? { worker: { leaseMs: paymentSettings.leaseMs } } : {}) });
  const flashSales = createFlashSalesService({ ...base('flash-sales'), catalog: catalog.client, inventory: inventory.client, counters, orders: { getOrder: (id) => orders.client.getOrder(id) }, ...(flashSaleSettings ? { settings: flashSaleSettings } : {}) });
  const orders = createOrdersService({ ...base('orders'), carts: carts.client, inventory: inventory.client, payments: payments.client, flashSales: flashSales.client, ...(checkoutLockMs ? { checkoutLockMs } : {}) });

  // the audit schema migrates first: every other module may write entries from its first request
  const modules: ServiceModule[] = [createAuditModule({ audit }), customers, catalog, inventory, carts, orders, payments, flashSales];
  const migrations = modules.flatMap((m) => (m.migrations ? [m.migrations] : [])) as MigrationSource[];
  return { audit, inventory, catalog, customers, carts, payments, orders, flashSales, modules, migrations };
}

export type CommerceModules = ReturnType<typeof createCommerceModules>;

/**
 * What the all-in-one serves, and so what the API document describes: every commerce module and the
 * degradation switches. `floodgate serve docs` declares the same list, so both serve one document.
 */
export const apiModules = (commerce: CommerceModules, degradation: Omit<DegradationDeps, 'audit'>): ServiceModule[] => [
  ...commerce.modules,
  createDegradationModule({ ...degradation, audit: commerce.audit }),
];
