import type { AuditLog } from '../../platform/audit/audit-log.js';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { makeClaimReservation } from './claim-reservation.js';
import type { FlashSalesClient } from './contract/flash-sales-client.js';
import { flashSalesMigrations } from './storage/flash-sales-migrations.js';
import { FLASH_SALES_SCHEMA } from './storage/flash-sales-tables.js';
import { createSqlSaleReservationStore } from './storage/sql-sale-reservation-store.js';
import { createSqlSaleStore } from './storage/sql-sale-store.js';

export { flashSalesMigrations };

export type FlashSalesServiceDeps = ServiceDeps & {
  audit: AuditLog;
  catalog: CatalogClient;
  inventory: InventoryClient;
  counters: CounterStore;
  /** tests move time instead of sleeping */
  clock?: () => Date;
};

export function createFlashSalesService(deps: FlashSalesServiceDeps): ServiceModule<FlashSalesClient> {
  const clock = deps.clock ?? (() => new Date());
  const sales = createSqlSaleStore(deps.db);
  const reservations = createSqlSaleReservationStore(deps.db);
  const relay = createOutboxRelay({ db: deps.db, schema: FLASH_SALES_SCHEMA, bus: deps.bus, logger: deps.logger });

  const client: FlashSalesClient = {
    claimReservation: makeClaimReservation({ sales, reservations, catalog: deps.catalog, clock }),
    async getSale(id) {
      const sale = await sales.find(id);
      if (!sale) return null;
      const { variantId, price, quantity, perCustomerLimit, status, paused, startsAt, endsAt, allocationReservationId } = sale;
      return { id, variantId, price, quantity, perCustomerLimit, status, paused, startsAt, endsAt, allocationReservationId };
    },
  };

  return { name: 'flash-sales', migrations: flashSalesMigrations, client, workers: [relay] };
}
