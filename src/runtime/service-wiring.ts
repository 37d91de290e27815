import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createAuditModule } from '../platform/audit/audit-routes.js';
import type { AuditLog } from '../platform/audit/audit-log.js';
import type { Authenticate } from '../platform/auth/principal.js';
import type { InternalApi } from '../platform/http/internal-api.js';
import type { ServiceDeps } from '../platform/service-deps.js';
import type { DegradationCheck } from '../platform/overload/degradation.js';
import { createRetryBudget } from '../platform/resilience/retry-budget.js';
import type { ServiceModule } from '../platform/service.js';
import type { CartsClient } from '../services/carts/contract/carts-client.js';
import { CARTS_INTERNAL_API } from '../services/carts/contract/carts-internal-api.js';
import { createCartsService } from '../services/carts/index.js';
import type { CatalogClient } from '../services/catalog/contract/catalog-client.js';
import { CATALOG_INTERNAL_API } from '../services/catalog/contract/catalog-internal-api.js';
import { createCatalogService } from '../services/catalog/index.js';
import type { CustomersClient } from '../services/customers/contract/customers-client.js';
import { CUSTOMERS_INTERNAL_API } from '../services/customers/contract/customers-internal-api.js';
import { createCustomersService } from '../services/customers/index.js';
import type { FlashSalesClient } from '../services/flash-sales/contract/flash-sales-client.js';
import { FLASH_SALES_INTERNAL_API } from '../services/flash-sales/contract/flash-sales-internal-api.js';
import { createFlashSalesService } from '../services/flash-sales/index.js';
import type { InventoryClient } from '../services/inventory/contract/inventory-client.js';
import { INVENTORY_INTERNAL_API } from '../services/inventory/contract/inventory-internal-api.js';
import { createInventoryService } from '../services/inventory/index.js';
import type { OrdersClient } from '../services/orders/contract/orders-client.js';
import { ORDERS_INTERNAL_API } from '../services/orders/contract/orders-internal-api.js';
import { createOrdersService } from '../services/orders/index.js';
import type { PaymentsClient } from '../services/payments/contract/payments-client.js';
import { PAYMENTS_INTERNAL_API } from '../services/payments/contract/payments-internal-api.js';
import { createFakePspPaymentProvider, createPaymentsService } from '../services/payments/index.js';
import type { ServiceName } from './service-names.js';
import { cartWriteBackThread } from './cart-write-back-thread.js';
import { openCartWorkingCopy, openCatalogPageLevel, openSaleCounters } from './open-shared-state.js';

/** The contract clients of the other services, over HTTP; each is created on first use. */
export interface RemoteClients {
  customers(): CustomersClient;
  catalog(): CatalogClient;
  inventory(): InventoryClient;
  carts(): CartsClient;
  payments(): PaymentsClient;
  orders(): OrdersClient;
  flashSales(): FlashSalesClient;
  /** whether a URL was given for this service (an optional dependency is wired only then) */
  has(service: ServiceName): boolean;
}

export interface WiringContext {
  config: Config;
  /** what every service factory receives; `audit` is the platform audit log in the same database */
  base: ServiceDeps & { audit: AuditLog };
  logger: Logger;
  remote: RemoteClients;
  /** the degradation switches this process follows (catalog's search and stock-count fallbacks) */
  degradation: DegradationCheck;
}

export interface WiredService {
  /** the service itself, with its public routes, workers and migrations */
  module: ServiceModule;
  /** what the internal routes call: the service's own in-process client */
  client: unknown;
  /** modules that ride along (the audit routes, in the customers process) */
  extraModules?: ServiceModule[];
  /** how this process resolves a bearer token or API key; the customers process asks itself */
  authenticate?: Authenticate;
  /** after migrations, before serving */
  afterMigrate?: () => Promise<void>;
  close?: () => Promise<void>;
}

export interface ServiceWiring {
  api: InternalApi<unknown>;
  build(ctx: WiringContext): WiredService;
}

const api = <C>(a: InternalApi<C>) => a as unknown as InternalApi<unknown>;

/** One row per `floodgate serve <service>`: which contract it serves internally and how it is built. */
export const SERVICE_WIRING: Record<ServiceName, ServiceWiring> = {
  customers: {
    api: api(CUSTOMERS_INTERNAL_API),
    build: ({ base, config }) => {
      const customers = createCustomersService(base);
      return {
        module: customers,
        client: customers.client,
        // admin audit reads live with the accounts that admins are
        extraModules: [createAuditModule({ audit: base.audit })],
        authenticate: customers.client.authenticate,
        afterMigrate: async () => {
          if (config.admin) await customers.ensureAdmin(config.admin.email, config.admin.password);
        },
      };
    },
  },
  catalog: {
    api: api(CATALOG_INTERNAL_API),
    build: ({ base, remote, config, logger, degradation }) => {
      // the same page settings as the all-in-one's catalog, and the pages' Redis level shared by every instance
      const sharedPages = openCatalogPageLevel(config, logger);
      const catalog = createCatalogService({
        ...base,
        inventory: remote.inventory(),
        degradation,
        cacheTtlMs: config.catalogPages.ttlMs,
        // kept long only where every instance hears every product change (catalog/index.ts)
        recordTtlMs: sharedPages ? config.catalogPages.recordTtlMs : config.catalogPages.ttlMs,
        pageCacheBytes: config.catalogPages.cacheBytes,
        listLoads: config.catalogPages.listLoads,
        ...(sharedPages ? { sharedPages } : {}),
      });
      return { module: catalog, client: catalog.client, ...(sharedPages ? { close: () => sharedPages.close() } : {}) };
    },
  },
  inventory: {
    api: api(INVENTORY_INTERNAL_API),
    build: ({ base }) => {
      const inventory = createInventoryService(base);
      return { module: inventory, client: inventory.client };
    },
  },
  carts: {
    api: api(CARTS_INTERNAL_API),
    build: ({ base, remote, config, logger }) => {
      // with REDIS_URL every carts instance shares the working copy in Redis; without it, changes are transactions
      const cartCopy = openCartWorkingCopy(config, logger, 'service');
      // due carts written back on a thread of the process's own (CARTS_WRITE_BACK_THREAD), as in the all-in-one
      const writeBack = cartWriteBackThread(config, cartCopy.workingCopy, logger, base.metrics);
      const carts = createCartsService({
        ...base,
        catalog: remote.catalog(),
        maxOpenCartsPerCustomer: config.maxOpenCartsPerCustomer,
        ...(cartCopy.workingCopy ? { workingCopy: cartCopy.workingCopy } : {}),
        flushIntervalMs: config.carts.flushIntervalMs,
        variantCacheTtlMs: config.catalogPages.ttlMs,
        ...(writeBack ? { flushElsewhere: writeBack } : {}),
      });
      return { module: carts, client: carts.client, close: () => cartCopy.close() };
    },
  },
  payments: {
    api: api(PAYMENTS_INTERNAL_API),
    build: ({ base, remote, config, logger }) => {
      // requireServeSettings made sure of FLOODGATE_PSP_URL; the PSP's in-call retries are budgeted as in the all-in-one
      const retryBudget = createRetryBudget({ dependency: 'psp', metrics: base.metrics });
      const provider = createFakePspPaymentProvider({ baseUrl: config.pspUrl ?? '', logger: logger.child({ module: 'payments' }), metrics: base.metrics, retryBudget, circuit: config.pspCircuit, timeoutMs: config.payments.pspTimeoutMs });
      const payments = createPaymentsService({ ...base, provider, holds: remote.inventory(), worker: { leaseMs: config.payments.leaseMs } });
      return { module: payments, client: payments.client };
    },
  },
  orders: {
    api: api(ORDERS_INTERNAL_API),
    build: ({ base, remote, config }) => {
      const orders = createOrdersService({
        ...base,
        carts: remote.carts(),
        inventory: remote.inventory(),
        payments: remote.payments(),
        // without FLASH_SALES_URL a checkout from a flash-sale reservation answers "unknown reservation"
        ...(remote.has('flash-sales') ? { flashSales: remote.flashSales() } : {}),
        checkoutLockMs: config.checkoutLockMs,
      });
      return { module: orders, client: orders.client };
    },
  },
  'flash-sales': {
    api: api(FLASH_SALES_INTERNAL_API),
    build: ({ base, remote, config, logger }) => {
      const counters = openSaleCounters(config, logger, base.metrics);
      const sales = createFlashSalesService({ ...base, catalog: remote.catalog(), inventory: remote.inventory(), orders: remote.orders(), counters: counters.store, settings: config.flashSales });
      return { module: sales, client: sales.client, close: () => counters.store.close() };
    },
  },
};
