import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createServiceTokenIssuer } from '../platform/auth/service-token.js';
import type { InternalApi } from '../platform/http/internal-api.js';
import { createInternalClient } from '../platform/http/internal-client.js';
import type { RetryBudget } from '../platform/resilience/outbound-policy.js';
import { CARTS_INTERNAL_API } from '../services/carts/contract/carts-internal-api.js';
import { CATALOG_INTERNAL_API } from '../services/catalog/contract/catalog-internal-api.js';
import { CUSTOMERS_INTERNAL_API } from '../services/customers/contract/customers-internal-api.js';
import { FLASH_SALES_INTERNAL_API } from '../services/flash-sales/contract/flash-sales-internal-api.js';
import { INVENTORY_INTERNAL_API } from '../services/inventory/contract/inventory-internal-api.js';
import { ORDERS_INTERNAL_API } from '../services/orders/contract/orders-internal-api.js';
import { PAYMENTS_INTERNAL_API } from '../services/payments/contract/payments-internal-api.js';
import type { RemoteClients } from './service-wiring.js';
import { serviceUrlVariable, type ServiceName } from './service-names.js';

export interface RemoteClientsOptions {
  config: Config;
  /** the calling service: the `iss` of its credentials */
  caller: string;
  logger: Logger;
  /** shared by every client of this process, when given (retry-budget.ts) */
  retryBudget?: RetryBudget;
}

/** Every other service's contract client over HTTP, from `<SERVICE>_URL` and the SERVICE_CALL_* settings. */
export function createRemoteClients({ config, caller, logger, retryBudget }: RemoteClientsOptions): RemoteClients & { close(): Promise<void> } {
  const { serviceCalls } = config;
  const token = createServiceTokenIssuer({ key: serviceCalls.key ?? '', issuer: caller });
  const made = new Map<string, { close(): Promise<void> }>();

  const client = <C>(api: InternalApi<C>): C => {
    const existing = made.get(api.service);
    if (existing) return existing as unknown as C;
    const name = api.service as ServiceName;
    const baseUrl = serviceCalls.urls[name];
    // requireServeSettings checked every URL the wiring asks for; reaching here without one is a wiring bug
    if (!baseUrl) throw new Error(`${serviceUrlVariable(name)} is not set, but ${caller} calls ${name}`);
    const created = createInternalClient({
      api,
      baseUrl,
      token,
      timeoutMs: serviceCalls.timeoutMs,
      maxAttempts: serviceCalls.maxAttempts,
      connections: serviceCalls.connections,
      ...(retryBudget ? { retryBudget } : {}),
      // one line per change of the circuit, not one per failed call
      onStateChange: (state) => (state === 'open' ? logger.warn({ service: name }, `${name} circuit open: calls fail fast until it recovers`) : logger.info({ service: name, state }, `${name} circuit ${state}`)),
    });
    made.set(api.service, created);
    return created;
  };

  return {
    customers: () => client(CUSTOMERS_INTERNAL_API),
    catalog: () => client(CATALOG_INTERNAL_API),
    inventory: () => client(INVENTORY_INTERNAL_API),
    carts: () => client(CARTS_INTERNAL_API),
    payments: () => client(PAYMENTS_INTERNAL_API),
    orders: () => client(ORDERS_INTERNAL_API),
    flashSales: () => client(FLASH_SALES_INTERNAL_API),
    has: (service) => Boolean(serviceCalls.urls[service]),
    close: async () => void (await Promise.all([...made.values()].map((c) => c.close()))),
  };
}
